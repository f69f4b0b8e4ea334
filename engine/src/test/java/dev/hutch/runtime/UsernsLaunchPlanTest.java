package dev.hutch.runtime;

import dev.hutch.spec.ExecSpec;
import dev.hutch.image.ImageConfig;
import dev.hutch.layer.HelperMount;
import dev.hutch.layer.RootfsPlan;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.UserNamespaceMode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What --userns=auto changes in the helper's launch and exec files (docs/helper-protocol.md). */
class UsernsLaunchPlanTest {
    static final Path L1 = Path.of("/lib/layers/a"), L2 = Path.of("/lib/layers/b");
    static final String OVERLAY = "lowerdir=/lib/layers/b:/lib/layers/a,upperdir=/c/upper,workdir=/c/work";

    static Map<String, List<String>> plan(UserNamespaceMode mode) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox").command("true");
        b.security().userns(mode);
        ContainerSpec spec = b.build();
        RootfsPlan rootfs = new RootfsPlan("overlay", Path.of("/c/merged"),
                List.of(new HelperMount("overlay", "/", "overlay", List.of(), OVERLAY)), Path.of("/c/upper"),
                Path.of("/c/work"), List.of(L1, L2));
        ImageConfig image = new ImageConfig(ImageConfig.DEFAULT_ENV, null, List.of(), null, null, List.of(), null);
        LaunchFile f = LaunchPlanner.plan(new LaunchPlanner.Inputs("id1", spec, ResolvedProcess.resolve(spec.process(), image, "h"),
                new UserResolver.Ids(0, 0, List.of()), "h", Path.of("/run/c"), Path.of("/c/log"), false, rootfs, List.of(),
                null, true, List.of(), Path.of("/c"), List.of(), null, Path.of("/run/c/sync"), false));
        return LaunchFile.parse(f.render());
    }

    @Test
    void autoAddsTheUserNamespaceAndHandsTheLayersToTheMonitor() {
        Map<String, List<String>> f = plan(UserNamespaceMode.parse("auto"));
        assertTrue(List.of(f.get("namespaces").get(0).split(",")).contains("user"), f.get("namespaces").toString());
        assertEquals(List.of(L1.toString(), L2.toString()), f.get("idmap_layer"));
        assertEquals(List.of(OVERLAY), f.get("rootfs_overlay"));
        assertTrue(f.get("mount").stream().noneMatch(m -> m.startsWith("overlay\t/\t")), "init mounts no overlay itself");
    }

    @Test
    void hostKeepsTheOverlayAsInitsFirstMount() {
        Map<String, List<String>> f = plan(UserNamespaceMode.HOST);
        assertFalse(f.get("namespaces").get(0).contains("user"));
        assertFalse(f.containsKey("idmap_layer"));
        assertTrue(f.get("mount").get(0).startsWith("overlay\t/\toverlay\t"), f.get("mount").get(0));
    }

    @Test
    void execJoinsTheUserNamespaceFirstWhenTheContainerHasOne() {
        ExecSpec exec = ExecSpec.of("id");
        LaunchFile mapped = ExecPlanner.plan(7, plan(UserNamespaceMode.parse("auto")), exec, List.of(), null);
        assertTrue(LaunchFile.parse(mapped.render()).get("namespaces").get(0).startsWith("user,"));
        LaunchFile host = ExecPlanner.plan(7, plan(UserNamespaceMode.HOST), exec, List.of(), null);
        assertFalse(LaunchFile.parse(host.render()).get("namespaces").get(0).contains("user"));
    }
}
