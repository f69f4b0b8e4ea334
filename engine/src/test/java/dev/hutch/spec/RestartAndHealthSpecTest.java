package dev.hutch.spec;

import dev.hutch.image.ConfigChanges;
import dev.hutch.image.ImageConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --restart and --health-* as values: parsing, docker's refusals, the decision, the image's HEALTHCHECK. */
class RestartAndHealthSpecTest {

    @Test
    void restartPoliciesParseAsDockerWritesThem() {
        assertEquals(new RestartPolicy("on-failure", 2), RestartPolicy.parse("on-failure:2"));
        assertEquals(new RestartPolicy("on-failure", 0), RestartPolicy.parse("on-failure"));
        assertEquals(new RestartPolicy("always", 0), RestartPolicy.parse("always"));
        assertEquals(RestartPolicy.NO, RestartPolicy.parse("no"));
        for (String bad : List.of("sometimes", "always:3", "on-failure:-1", "on-failure:x", "", "ALWAYS")) {
            InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> RestartPolicy.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--restart: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void thePolicyDecidesByExitCodeAndCount() {
        RestartPolicy twice = new RestartPolicy("on-failure", 2);
        assertTrue(twice.restartsAfter(3, 0));
        assertTrue(twice.restartsAfter(3, 1));
        assertFalse(twice.restartsAfter(3, 2), "exactly N restarts");
        assertFalse(twice.restartsAfter(0, 0), "on-failure: not after success");
        assertTrue(new RestartPolicy("on-failure", 0).restartsAfter(1, 1000), "no limit without :N");
        assertTrue(new RestartPolicy("always", 0).restartsAfter(0, 50));
        assertTrue(new RestartPolicy("unless-stopped", 0).restartsAfter(0, 50));
        assertFalse(RestartPolicy.NO.restartsAfter(1, 0));
    }

    @Test
    void restartWithRmConflictsAsInDocker() {
        ContainerSpec spec = ContainerSpec.builder("busybox").autoRemove(true).restart(new RestartPolicy("always", 0)).build();
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(spec, 2));
        assertTrue(e.getMessage().contains("Conflicting options: --restart and --rm"), e.getMessage());
        SpecValidator.validate(ContainerSpec.builder("busybox").autoRemove(true).restart(RestartPolicy.NO).build(), 2);
        assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(
                ContainerSpec.builder("busybox").restart(new RestartPolicy("always", 3)).build(), 2));
        assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(
                ContainerSpec.builder("busybox").restart(new RestartPolicy("later", 0)).build(), 2));
    }

    @Test
    void durationsAreGosSyntax() {
        assertEquals(30_000, GoDuration.millis("--health-interval", "30s"));
        assertEquals(90_000, GoDuration.millis("--health-interval", "1m30s"));
        assertEquals(500, GoDuration.millis("--health-interval", "500ms"));
        assertEquals(1_500, GoDuration.millis("--health-interval", "1.5s"));
        assertEquals(0, GoDuration.millis("--health-interval", "0"));
        for (String bad : List.of("-1s", "soon", "10", "1x", ""))
            assertThrows(InvalidSpecException.class, () -> GoDuration.millis("--health-interval", bad), bad);
    }

    @Test
    void theContainersCheckIsLaidOverTheImagesOne() {
        HealthCheck image = new HealthCheck(List.of("CMD", "test", "-d", "/proc"), 5_000, 2_000, 0, 4);
        HealthCheck tuned = new HealthCheck(List.of(), 300, 0, 0, 0).over(image);
        assertEquals(List.of("test", "-d", "/proc"), tuned.argv());
        assertEquals(300, tuned.intervalMillis());
        assertEquals(2_000, tuned.timeoutMillis());
        assertEquals(4, tuned.retries());
        assertEquals(List.of("/bin/sh", "-c", "exit 1"), new HealthCheck(List.of("CMD-SHELL", "exit 1"), 0, 0, 0, 0).over(image).argv());
        assertNull(new HealthCheck(List.of("NONE"), 0, 0, 0, 0).over(image), "--no-healthcheck");
        assertNull(HealthCheck.NONE.over(HealthCheck.NONE), "no check anywhere");
    }

    @Test
    void commitChangeSetsAHealthcheckThatTheImageConfigKeeps() {
        ImageConfig base = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of("sh"), null, null, List.of(), null);
        ImageConfig c = ConfigChanges.apply(base, List.of("HEALTHCHECK --interval=300ms --retries=1 CMD test -d /proc/1"));
        assertEquals(new HealthCheck(List.of("CMD-SHELL", "test -d /proc/1"), 300, 0, 0, 1), c.healthcheck());
        ImageConfig back = ImageConfig.fromJson(dev.hutch.json.Json.parse(dev.hutch.json.Json.write(c.toJson())));
        assertEquals(c.healthcheck(), back.healthcheck(), "through the image config's JSON (nanoseconds)");
        assertEquals(c.healthcheck(), ConfigChanges.apply(c, List.of("ENV A=1")).healthcheck(), "other changes keep it");
        assertTrue(ConfigChanges.apply(c, List.of("HEALTHCHECK NONE")).healthcheck().disabled());
        assertThrows(InvalidSpecException.class, () -> ConfigChanges.apply(base, List.of("HEALTHCHECK --every=1s CMD true")));
    }
}
