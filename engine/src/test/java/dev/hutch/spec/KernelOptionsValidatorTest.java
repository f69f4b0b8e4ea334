package dev.hutch.spec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** docker's rules for --sysctl, --ulimit, --oom-score-adj, --shm-size and --group-add, each refused with one line. */
class KernelOptionsValidatorTest {
    static ContainerSpec.Builder spec() { return ContainerSpec.builder("busybox"); }

    static String refused(ContainerSpec s) {
        return assertThrows(InvalidSpecException.class, () -> SpecValidator.validate(s, 2)).getMessage();
    }

    @Test
    void onlyNamespacedSysctlsAreAllowed() {
        for (String ok : new String[]{"net.ipv4.ip_forward", "kernel.shmmax", "kernel.shm_rmid_forced", "kernel.msgmnb",
                "kernel.sem", "fs.mqueue.msg_max"}) {
            ContainerSpec.Builder b = spec();
            b.kernel().sysctl(ok, "1");
            SpecValidator.validate(b.build(), 2);
        }
        for (String bad : new String[]{"kernel.hostname", "vm.swappiness", "kernel.pid_max", "fs.file-max", "kernel.shm"}) {
            ContainerSpec.Builder b = spec();
            b.kernel().sysctl(bad, "1");
            String m = refused(b.build());
            assertTrue(m.startsWith("--sysctl: \"" + bad + "=1\" is not a namespaced sysctl"), m);
        }
    }

    @Test
    void netSysctlsNeedANetworkNamespaceOfTheirOwn() {
        for (String net : new String[]{"host", "container:web"}) {
            ContainerSpec.Builder b = spec().network(net);
            b.kernel().sysctl("net.ipv4.ip_forward", "1");
            assertTrue(refused(b.build()).contains("needs a network namespace of the container's own"));
        }
        ContainerSpec.Builder none = spec().network("none");
        none.kernel().sysctl("net.ipv4.ip_forward", "1");
        SpecValidator.validate(none.build(), 2);
        ContainerSpec.Builder ipcOnHost = spec().network("host");
        ipcOnHost.kernel().sysctl("kernel.shmmax", "1");
        SpecValidator.validate(ipcOnHost.build(), 2);
    }

    @Test
    void ulimitTextAsDockerWritesIt() {
        assertEquals(new KernelOptions.Ulimit("nofile", 1024, 2048), UlimitText.parse("nofile=1024:2048"));
        assertEquals(new KernelOptions.Ulimit("nproc", 64, 64), UlimitText.parse("nproc=64"));
        assertEquals(new KernelOptions.Ulimit("core", -1, -1), UlimitText.parse("core=-1"));
        assertThrows(InvalidSpecException.class, () -> UlimitText.parse("nofile"));
        assertThrows(InvalidSpecException.class, () -> UlimitText.parse("nofile=1:2:3"));
        assertThrows(InvalidSpecException.class, () -> UlimitText.parse("nofile=x"));
    }

    @Test
    void ulimitNamesAndOrderAreChecked() {
        ContainerSpec.Builder b = spec();
        b.kernel().ulimit(new KernelOptions.Ulimit("as", 1, 1));
        assertTrue(refused(b.build()).contains("names no limit docker knows"));
        ContainerSpec.Builder c = spec();
        c.kernel().ulimit(new KernelOptions.Ulimit("nofile", 10, 5));
        assertTrue(refused(c.build()).contains("soft limit above its hard limit"));
        ContainerSpec.Builder d = spec();
        d.kernel().ulimit(new KernelOptions.Ulimit("nofile", -1, 5));
        assertTrue(refused(d.build()).contains("soft limit above its hard limit"), "unlimited soft over a finite hard");
    }

    @Test
    void oomScoreShmAndGroups() {
        ContainerSpec.Builder b = spec();
        b.kernel().oomScoreAdj(1001);
        assertEquals("--oom-score-adj: \"1001\" is out of range: use a whole number from -1000 to 1000", refused(b.build()));
        ContainerSpec.Builder c = spec();
        c.kernel().shmSize(-1L);
        assertTrue(refused(c.build()).startsWith("--shm-size:"));
        ContainerSpec.Builder d = spec();
        d.kernel().groupAdd("a:b");
        assertTrue(refused(d.build()).startsWith("--group-add: \"a:b\""));
        ContainerSpec.Builder e = spec();
        e.resources().memorySwappiness(101L);
        assertTrue(refused(e.build()).startsWith("--memory-swappiness: \"101\""));
    }
}
