package dev.hutch.runtime;

import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.KernelOptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.hutch.runtime.LaunchPlannerTest.inputs;
import static dev.hutch.runtime.LaunchPlannerTest.one;
import static dev.hutch.runtime.LaunchPlannerTest.process;
import static org.junit.jupiter.api.Assertions.*;

/**
 * --sysctl, --ulimit, --oom-score-adj and --shm-size as launch-file lines, and the host check of
 * hard rlimits (a sandbox without CAP_SYS_RESOURCE cannot raise its own). Pure: no root.
 */
class KernelOptionsPlanTest {
    static final String SANDBOX_LIMITS = "Limit                     Soft Limit           Hard Limit           Units\n"
            + "Max processes             96364                96364                processes\n"
            + "Max open files            20000                20000                files\n"
            + "Max core file size        0                    unlimited            bytes\n";

    static Map<String, List<String>> plan(KernelOptions.Builder k) {
        ContainerSpec.Builder b = ContainerSpec.builder("busybox");
        KernelOptions built = k.build();
        built.sysctls().forEach(b.kernel()::sysctl);
        built.ulimits().forEach(b.kernel()::ulimit);
        b.kernel().oomScoreAdj(built.oomScoreAdj()).shmSize(built.shmSize());
        return LaunchFile.parse(LaunchPlanner.plan(inputs(b.build(), process("true"), false, true, List.of(), false,
                List.of(), null)).render());
    }

    @Test
    void sysctlsOomScoreAndShmSizeBecomeHelperLines() {
        Map<String, List<String>> f = plan(KernelOptions.builder().sysctl("kernel.shmmax", "1073741824")
                .sysctl("kernel.sem", "250 32000 100 128").oomScoreAdj(-300).shmSize(256L << 20));
        assertEquals(List.of("kernel.shmmax 1073741824", "kernel.sem 250 32000 100 128"), f.get("sysctl"));
        assertEquals("-300", one(f, "oom_score_adj"));
        assertTrue(f.get("mount").stream().anyMatch(m -> m.startsWith("shm\t/dev/shm\ttmpfs\t") && m.endsWith("\tmode=1777,size=268435456")),
                f.get("mount").toString());
    }

    @Test
    void withoutKernelOptionsNothingChanges() {
        Map<String, List<String>> f = plan(KernelOptions.builder());
        assertNull(f.get("sysctl"));
        assertNull(f.get("oom_score_adj"));
        assertTrue(f.get("mount").stream().anyMatch(m -> m.endsWith("\tmode=1777,size=65536k")), "docker's 64m /dev/shm");
        assertEquals("NOFILE 4096 4096", one(f, "rlimit"));
    }

    @Test
    void aUlimitNofileReplacesTheDefaultAndOthersJoinIt() {
        Map<String, List<String>> f = plan(KernelOptions.builder().ulimit(new KernelOptions.Ulimit("nofile", 100, 200))
                .ulimit(new KernelOptions.Ulimit("core", -1, -1)));
        assertEquals(List.of("NOFILE 100 200", "CORE -1 -1"), f.get("rlimit"));
        Map<String, List<String>> g = plan(KernelOptions.builder().ulimit(new KernelOptions.Ulimit("nproc", 64, 64)));
        assertEquals(List.of("NOFILE 4096 4096", "NPROC 64 64"), g.get("rlimit"));
    }

    @Test
    void aHardLimitAboveTheSandboxsOwnIsRefusedNamingTheCeiling() {
        KernelOptions k = KernelOptions.builder().ulimit(new KernelOptions.Ulimit("nofile", 1024, 30000)).build();
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> Rlimits.checkAgainstHost(k, SANDBOX_LIMITS, false));
        assertEquals("--ulimit: \"nofile=1024:30000\" asks a hard limit of 30000, above this host's 20000 for nofile "
                + "(hutch runs without CAP_SYS_RESOURCE here and cannot raise it); use at most nofile=20000", e.getMessage());
        KernelOptions unlimited = KernelOptions.builder().ulimit(new KernelOptions.Ulimit("nproc", -1, -1)).build();
        assertThrows(InvalidSpecException.class, () -> Rlimits.checkAgainstHost(unlimited, SANDBOX_LIMITS, false));

        Rlimits.checkAgainstHost(k, SANDBOX_LIMITS, true); // with CAP_SYS_RESOURCE the kernel decides
        Rlimits.checkAgainstHost(KernelOptions.builder().ulimit(new KernelOptions.Ulimit("nofile", 20000, 20000)).build(),
                SANDBOX_LIMITS, false);
        Rlimits.checkAgainstHost(KernelOptions.builder().ulimit(new KernelOptions.Ulimit("core", -1, -1)).build(),
                SANDBOX_LIMITS, false); // unlimited here already
    }

    @Test
    void capSysResourceIsReadFromTheEffectiveSet() {
        assertFalse(Rlimits.hasSysResource("Name:\tjava\nCapEff:\t000001fffeffffff\n"));
        assertTrue(Rlimits.hasSysResource("CapEff:\t000001ffffffffff\n"));
        assertFalse(Rlimits.hasSysResource(null));
    }
}
