package dev.hutch.image;

import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigChangesTest {
    private final ImageConfig base = new ImageConfig(List.of("PATH=/bin", "A=1"), null, List.of("sh"), null, null, List.of(), Map.of());

    @Test
    void appliesDockerfileInstructions() {
        ImageConfig c = ConfigChanges.apply(base, List.of("CMD [\"echo\",\"hi\"]", "ENTRYPOINT /init", "ENV A=2 B=\"x y\"",
                "WORKDIR /srv", "USER nobody", "EXPOSE 80 53/udp", "LABEL app=web"));
        assertEquals(List.of("echo", "hi"), c.cmd());
        assertEquals(List.of("/bin/sh", "-c", "/init"), c.entrypoint());
        assertEquals(List.of("PATH=/bin", "A=2", "B=x y"), c.env());
        assertEquals("/srv", c.workdir());
        assertEquals("nobody", c.user());
        assertEquals(List.of("80/tcp", "53/udp"), c.exposedPorts());
        assertEquals(Map.of("app", "web"), c.labels());
    }

    @Test
    void oldEnvFormAndShellCmd() {
        ImageConfig c = ConfigChanges.apply(base, List.of("ENV GREETING hello world", "CMD echo $GREETING"));
        assertEquals("GREETING=hello world", c.env().get(2));
        assertEquals(List.of("/bin/sh", "-c", "echo $GREETING"), c.cmd());
    }

    @Test
    void refusesWhatItCannotDo() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ConfigChanges.apply(base, List.of("RUN apt-get update")));
        assertEquals("--change", e.field());
        assertThrows(InvalidSpecException.class, () -> ConfigChanges.apply(base, List.of("CMD [broken")));
        assertThrows(InvalidSpecException.class, () -> ConfigChanges.apply(base, List.of("EXPOSE http")));
    }
}
