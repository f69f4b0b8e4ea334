package dev.hutch.runtime;

import dev.hutch.cgroup.DeviceRule;
import dev.hutch.layer.HelperMount;
import dev.hutch.layer.RootfsPlan;
import dev.hutch.security.SecurityPlan;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NamespaceSharing;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The launch file LaunchPlanner writes for given decisions, read back as the helper reads it
 * (LaunchFile.parse): which namespaces, which mounts in which order, the process, the security
 * lines. Pure: no root, no helper.
 */
class LaunchPlannerTest {
    static final Path STATE = Path.of("/run/hutch-test/containers/c1");
    static final Path DATA = Path.of("/var/lib/hutch-test/containers/c1");
    static final HelperMount OVERLAY = new HelperMount("overlay", "/", "overlay", List.of(),
            "lowerdir=/l/2:/l/1,upperdir=" + DATA + "/upper,workdir=" + DATA + "/work");
    static final RootfsPlan ROOTFS = new RootfsPlan("overlay", DATA.resolve("merged"), List.of(OVERLAY),
            DATA.resolve("upper"), DATA.resolve("work"), List.of(Path.of("/l/1"), Path.of("/l/2")));
    static final String LIMITS = "Limit                     Soft Limit           Hard Limit           Units\n"
            + "Max open files            1024                 4096                 files\n";

    static LaunchPlanner.Inputs inputs(ContainerSpec spec, ResolvedProcess process, boolean detach, boolean newNet,
                                       List<String> join, boolean loopbackUp, List<HelperMount> volumes, SecurityPlan security) {
        return new LaunchPlanner.Inputs("c1", spec, process, new UserResolver.Ids(1000, 100, List.of(10L, 20L)), "box",
                STATE, DATA.resolve("c1-json.log"), detach, ROOTFS,
                List.of(Path.of("/sys/fs/cgroup/memory/hutch/c1/cgroup.procs"), Path.of("/sys/fs/cgroup/pids/hutch/c1/cgroup.procs")),
                Path.of("/sys/fs/cgroup/memory/hutch/c1/memory.oom_control"), newNet, join, DATA, volumes, LIMITS,
                STATE.resolve("sync"), loopbackUp, security, security == null ? null : Path.of("/sys/fs/cgroup/hutch/c1"));
    }

    static ResolvedProcess process(String... argv) {
        return new ResolvedProcess(List.of(argv), List.of("PATH=/usr/bin:/bin", "HOSTNAME=box"), "/srv", "1000:100");
    }

    static Map<String, List<String>> parsed(LaunchPlanner.Inputs in) {
        return LaunchFile.parse(LaunchPlanner.plan(in).render());
    }

    static String one(Map<String, List<String>> f, String key) {
        List<String> v = f.get(key);
        assertNotNull(v, "no " + key);
        assertEquals(1, v.size(), key + ": " + v);
        return v.get(0);
    }

    @Test
    void aDetachedContainerWithItsOwnNetwork() {
        ContainerSpec spec = ContainerSpec.builder("busybox").readOnlyRootfs(true).build();
        List<HelperMount> volumes = List.of(new HelperMount("/host/data", "/data", "", List.of("rbind", "mkdir", "ro"), ""));
        Map<String, List<String>> f = parsed(inputs(spec, process("sh", "-c", "echo 'a\nb'\t\\"), true, true, List.of(), false,
                volumes, null));

        assertEquals(String.valueOf(LaunchFile.VERSION), one(f, "version"));
        assertEquals("c1", one(f, "id"));
        assertEquals(STATE.toString(), one(f, "state_dir"));
        assertEquals(STATE.resolve("sync").toString(), one(f, "sync_fifo"));
        assertEquals("1", one(f, "detach"));
        assertEquals("0", one(f, "tty"));
        assertEquals("0", one(f, "stdin"));
        assertEquals(DATA.resolve("c1-json.log").toString(), one(f, "log_path"));
        assertEquals("pid,mnt,uts,ipc,net,cgroup", one(f, "namespaces"));
        assertNull(f.get("join_ns"));
        assertNull(f.get("loopback_up"));
        assertEquals(List.of("/sys/fs/cgroup/memory/hutch/c1/cgroup.procs", "/sys/fs/cgroup/pids/hutch/c1/cgroup.procs"),
                f.get("cgroup_procs"));
        assertEquals("/sys/fs/cgroup/memory/hutch/c1/memory.oom_control", one(f, "oom_file"));
        assertEquals("box", one(f, "hostname"));
        assertEquals(DATA.resolve("merged").toString(), one(f, "rootfs"));
        assertEquals("1", one(f, "readonly_rootfs"));

        // runc's order: the rootfs, the kernel filesystems, the container's /etc files, then volumes
        List<String> expected = new ArrayList<>();
        expected.add(OVERLAY.toLine());
        DockerDefaults.kernelMounts().forEach(m -> expected.add(m.toLine()));
        for (String name : List.of("hosts", "hostname", "resolv.conf"))
            expected.add(DATA.resolve(name) + "\t/etc/" + name + "\t\tbind,file\t");
        expected.add("/host/data\t/data\t\trbind,mkdir,ro\t");
        assertEquals(expected, f.get("mount"));

        assertEquals(DockerDefaults.DEVICES, f.get("device"));
        assertEquals(DockerDefaults.SYMLINKS, f.get("symlink"));
        assertEquals(DockerDefaults.MASKED_PATHS, f.get("masked_path"));
        assertEquals(DockerDefaults.READONLY_PATHS, f.get("readonly_path"));
        assertEquals(DockerDefaults.CAPABILITIES, f.get("cap"));
        assertNull(f.get("seccomp"), "no security plan: no filter");
        assertNull(f.get("cgroup_device_bpf"));

        assertEquals(List.of("PATH=/usr/bin:/bin", "HOSTNAME=box"), f.get("env"));
        assertEquals("/srv", one(f, "cwd"));
        assertEquals("1000", one(f, "uid"));
        assertEquals("100", one(f, "gid"));
        assertEquals(List.of("10", "20"), f.get("additional_gid"));
        assertEquals("NOFILE 4096 4096", one(f, "rlimit"), "docker's 1048576, capped at our own hard limit");
        assertEquals("1", one(f, "no_new_privs"));
        assertEquals(List.of("sh", "-c", "echo 'a\nb'\t\\"), f.get("arg"), "arguments survive newlines, tabs and backslashes");
    }

    @Test
    void theRawFileKeepsEveryValueOnOneLine() {
        LaunchFile file = LaunchPlanner.plan(inputs(ContainerSpec.builder("busybox").build(), process("printf", "x\ny"), false,
                true, List.of(), false, List.of(), null));
        assertTrue(file.lines().contains("arg x\\ny"), file.render());
        assertEquals("version " + LaunchFile.VERSION, file.lines().get(0), "the version comes first");
    }

    @Test
    void theHostNetworkKeepsTheHostsNamespace() {
        Map<String, List<String>> f = parsed(inputs(ContainerSpec.builder("busybox").build(), process("true"), false, false,
                List.of(), false, List.of(), null));
        assertEquals("pid,mnt,uts,ipc,cgroup", one(f, "namespaces"));
        assertEquals("0", one(f, "detach"));
    }

    @Test
    void joiningAnotherContainersNetworkIsAJoinNotANewNamespace() {
        Map<String, List<String>> f = parsed(inputs(ContainerSpec.builder("busybox").build(), process("true"), false, true,
                List.of("net /proc/4242/ns/net"), false, List.of(), null));
        assertEquals("pid,mnt,uts,ipc,cgroup", one(f, "namespaces"));
        assertEquals(List.of("net /proc/4242/ns/net"), f.get("join_ns"));
    }

    @Test
    void networkNoneBringsLoopbackUpInTheHelper() {
        Map<String, List<String>> f = parsed(inputs(ContainerSpec.builder("busybox").build(), process("true"), false, true,
                List.of(), true, List.of(), null));
        assertEquals("1", one(f, "loopback_up"));
        assertEquals("pid,mnt,uts,ipc,net,cgroup", one(f, "namespaces"));
    }

    @Test
    void aTtyInteractiveRun() {
        ContainerSpec spec = ContainerSpec.builder("busybox").build().toBuilder().build();
        ContainerSpec.Builder b = spec.toBuilder();
        b.process().tty(true).interactive(true);
        Map<String, List<String>> f = parsed(inputs(b.build(), process("sh"), false, true, List.of(), false, List.of(), null));
        assertEquals("1", one(f, "tty"));
        assertEquals("1", one(f, "stdin"));
        assertEquals("0", one(f, "readonly_rootfs"));
    }

    @Test
    void theSecurityPlanDecidesCapabilitiesFilterPathsAndDevices() {
        SecurityPlan plan = new SecurityPlan(List.of("CAP_KILL", "CAP_NET_ADMIN"), "20000000", false,
                List.of("/proc/kcore"), List.of("/proc/sys"), false, DeviceRule.DEFAULTS, List.of("/dev/fuse c 10 229 666"), false);
        Map<String, List<String>> f = parsed(inputs(ContainerSpec.builder("busybox").build(), process("true"), true, true,
                List.of(), false, List.of(), plan));
        assertEquals(List.of("CAP_KILL", "CAP_NET_ADMIN"), f.get("cap"));
        assertEquals("20000000", one(f, "seccomp"));
        assertEquals("0", one(f, "no_new_privs"));
        assertEquals(List.of("/proc/kcore"), f.get("masked_path"));
        assertEquals(List.of("/proc/sys"), f.get("readonly_path"));
        List<String> devices = new ArrayList<>(DockerDefaults.DEVICES);
        devices.add("/dev/fuse c 10 229 666");
        assertEquals(devices, f.get("device"));
        String bpf = one(f, "cgroup_device_bpf");
        assertEquals(SecurityPlan.hex(plan.deviceProgram()) + " /sys/fs/cgroup/hutch/c1", bpf);
        assertTrue(f.get("mount").stream().anyMatch(m -> m.startsWith("sysfs\t/sys\tsysfs\tnosuid,noexec,nodev,ro,")),
                "/sys read-only: " + f.get("mount"));
    }

    @Test
    void privilegedMakesSysWritableAndHasNoDeviceProgram() {
        SecurityPlan plan = new SecurityPlan(List.of("CAP_SYS_ADMIN"), null, false, List.of(), List.of(), true,
                List.of(DeviceRule.ALL), List.of(), true);
        Map<String, List<String>> f = parsed(inputs(ContainerSpec.builder("busybox").build(), process("true"), true, true,
                List.of(), false, List.of(), plan));
        assertTrue(f.get("mount").contains("sysfs\t/sys\tsysfs\tnosuid,noexec,nodev,mkdir\t"), "/sys writable: " + f.get("mount"));
        assertNull(f.get("seccomp"));
        assertNull(f.get("cgroup_device_bpf"));
        assertNull(f.get("masked_path"));
        assertNull(f.get("readonly_path"));
    }

    @Test
    void sharedNamespacesAreNotCreatedAndShmFollowsTheIpcMode() {
        java.util.function.Function<dev.hutch.spec.NamespaceSharing, Map<String, List<String>>> plan = ns -> parsed(inputs(
                ContainerSpec.builder("busybox").namespaces(ns).build(), process("true"), true, true,
                NamespaceSharing.containerOf(ns.pid()) != null ? List.of("pid /proc/42/ns/pid") : List.of(), false, List.of(), null));
        NamespaceSharing none = NamespaceSharing.DEFAULT;
        Map<String, List<String>> host = plan.apply(none.withIpc("host").withPid("host").withUts("host").withCgroupns("host"));
        assertEquals("mnt,net", one(host, "namespaces"));
        assertTrue(host.get("mount").contains("/dev/shm\t/dev/shm\t\trbind,mkdir\t"), "the host's /dev/shm: " + host.get("mount"));
        Map<String, List<String>> joined = plan.apply(none.withIpc("container:a").withPid("container:a"));
        assertEquals("mnt,uts,net,cgroup", one(joined, "namespaces"));
        assertEquals(List.of("pid /proc/42/ns/pid"), joined.get("join_ns"));
        assertTrue(joined.get("mount").stream().noneMatch(m -> m.contains("\t/dev/shm\t")), "the helper's shm_from mounts it");
        assertTrue(plan.apply(none.withIpc("none")).get("mount").stream().noneMatch(m -> m.contains("\t/dev/shm\t")));
        Map<String, List<String>> own = plan.apply(none.withIpc("shareable").withPid("private").withUts("private").withCgroupns("private"));
        assertEquals("pid,mnt,uts,ipc,net,cgroup", one(own, "namespaces"));
        assertTrue(own.get("mount").stream().anyMatch(m -> m.startsWith("shm\t/dev/shm\ttmpfs")));
    }
}
