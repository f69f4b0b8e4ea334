package dev.hutch.oci;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.layer.HelperMount;
import dev.hutch.spec.KernelOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** config.json to a plan: what is mapped, and what is refused by name instead of dropped. No root needed. */
class OciPlannerTest {
    @TempDir
    Path bundle;

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("ociVersion", "1.0.2-dev");
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("args", List.of("sh", "-c", "true"));
        process.put("env", List.of("PATH=/bin"));
        process.put("cwd", "/work");
        process.put("user", Map.of("uid", 1000, "gid", 100, "additionalGids", List.of(10, 20)));
        process.put("capabilities", Map.of("bounding", List.of("CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"),
                "effective", List.of("CAP_CHOWN", "CAP_KILL"), "permitted", List.of("CAP_CHOWN", "CAP_KILL")));
        process.put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "soft", 1024, "hard", 2048)));
        process.put("oomScoreAdj", 300);
        c.put("process", process);
        c.put("root", Map.of("path", "rootfs", "readonly", true));
        c.put("hostname", "box");
        List<Object> mounts = new ArrayList<>();
        mounts.add(Map.of("destination", "/dev", "type", "tmpfs", "source", "tmpfs", "options", List.of("nosuid", "strictatime", "mode=755", "size=65536k")));
        mounts.add(Map.of("destination", "/data", "type", "bind", "source", bundle.toString(), "options", List.of("rbind", "ro", "rprivate")));
        mounts.add(Map.of("destination", "/sys/fs/cgroup", "type", "cgroup", "source", "cgroup", "options", List.of("nosuid", "ro")));
        c.put("mounts", mounts);
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of(Map.of("type", "pid"), Map.of("type", "mount"), Map.of("type", "uts"),
                Map.of("type", "network", "path", "/run/netns/x")));
        linux.put("resources", Map.of("memory", Map.of("limit", 67108864), "pids", Map.of("limit", 64),
                "cpu", Map.of("quota", 50000, "period", 100000), "devices", List.of(Map.of("allow", false, "access", "rwm"))));
        linux.put("sysctl", Map.of("net.ipv4.ip_forward", "1"));
        linux.put("maskedPaths", List.of("/proc/kcore"));
        linux.put("readonlyPaths", List.of("/proc/sys"));
        linux.put("devices", List.of(Map.of("path", "/dev/fuse", "type", "c", "major", 10, "minor", 229, "fileMode", 438)));
        c.put("linux", linux);
        return c;
    }

    private OciPlan plan(Map<String, Object> c) { return OciPlanner.plan(Json.write(c), bundle, false); }

    @Test
    void theProcessRootNamespacesAndResourcesAreMapped() {
        OciPlan p = plan(config());
        assertEquals(List.of("sh", "-c", "true"), p.process().args());
        assertEquals("/work", p.process().cwd());
        assertEquals(1000, p.process().uid());
        assertEquals(List.of(10L, 20L), p.process().additionalGids());
        // one set for all: never more than the narrowest of effective, permitted, bounding
        assertEquals(List.of("CAP_CHOWN", "CAP_KILL"), p.process().capabilities());
        assertEquals(bundle.resolve("rootfs").toString(), p.rootfs());
        assertTrue(p.readonlyRootfs());
        assertEquals(List.of("pid", "mnt", "uts"), p.namespaces().created());
        assertEquals(List.of("net /run/netns/x"), p.namespaces().joined());
        assertEquals(67108864L, p.resources().memory());
        assertEquals(64L, p.resources().pidsLimit());
        assertEquals(50000L, p.resources().cpuQuota());
        assertTrue(p.deviceNodes().contains("/dev/fuse c 10 229 666 0 0"), p.deviceNodes().toString());
        assertEquals(List.of("/proc/kcore"), p.maskedPaths());
    }

    @Test
    void rlimitsOomScoreGroupsAndSysctlsLandOnKernelOptions() {
        OciPlan p = plan(config());
        KernelOptions k = p.process().kernel();
        assertEquals(List.of(new KernelOptions.Ulimit("nofile", 1024, 2048)), k.ulimits());
        assertEquals(300, k.oomScoreAdj());
        assertEquals(List.of("10", "20"), k.groupAdd());
        assertTrue(p.warnings().stream().noneMatch(w -> w.contains("linux.sysctl")), "sysctls are applied: no warning");
        assertFalse(p.sysctls().isEmpty(), "the config's sysctls reach the plan (init writes them)");
        dev.hutch.runtime.LaunchFile f = new dev.hutch.runtime.LaunchFile();
        p.process().writeTo(f, true);
        assertTrue(f.lines().contains("rlimit NOFILE 1024 2048"), f.lines().toString());
        assertTrue(f.lines().contains("additional_gid 20"), f.lines().toString());
    }

    @Test
    void mountsKeepFlagsAndDataApartAndBindTargetsFollowTheSource() {
        List<HelperMount> m = plan(config()).mounts();
        assertEquals(new HelperMount("tmpfs", "/dev", "tmpfs", List.of("nosuid", "strictatime", "mkdir"), "mode=755,size=65536k"), m.get(0));
        assertEquals(new HelperMount(bundle.toString(), "/data", "", List.of("rbind", "ro", "rprivate", "mkdir"), ""), m.get(1));
        // v1 or hybrid host: an empty read-only tmpfs, not the host's hierarchies
        assertEquals(new HelperMount("tmpfs", "/sys/fs/cgroup", "tmpfs", List.of("nosuid", "ro", "mkdir"), "mode=755"), m.get(2));
    }

    @Test
    void whatHutchDoesNotDoIsRefusedByName() throws Exception {
        Map<String, Object> c = config();
        // hooks that run inside the container are refused; the host's are kept for create, start, delete
        c.put("hooks", Map.of("createContainer", List.of(Map.of("path", "/bin/true"))));
        assertRefused(c, "hooks.createContainer");
        c = config();
        c.put("hooks", Map.of("prestart", List.of(Map.of("path", "/bin/true", "timeout", 5))));
        assertEquals(List.of(Map.of("path", "/bin/true", "timeout", 5L)), plan(c).hooks().get("prestart"));

        c = config();
        ((Map<String, Object>) c.get("linux")).put("namespaces", List.of(Map.of("type", "mount"), Map.of("type", "user")));
        assertRefused(c, "user");

        c = config();
        ((Map<String, Object>) c.get("linux")).put("intelRdt", Map.of("closID", "x"));
        assertRefused(c, "linux.intelRdt");

        c = config();
        ((Map<String, Object>) c.get("linux")).put("namespaces", List.of(Map.of("type", "pid")));
        assertRefused(c, "mount namespace");

        c = config();
        List<Object> mounts = new ArrayList<>((List<Object>) c.get("mounts"));
        mounts.add(Map.of("destination", "/x", "type", "bind", "source", "/tmp", "options", List.of("rbind", "idmap")));
        c.put("mounts", mounts);
        assertRefused(c, "idmap");

        c = config();
        c.put("ociVersion", "2.0.0");
        assertRefused(c, "ociVersion");

        c = config();
        ((Map<String, Object>) c.get("process")).put("capabilities", Map.of("bounding", List.of("CAP_KILL"), "ambient", List.of("CAP_KILL")));
        assertRefused(c, "ambient");
    }

    private void assertRefused(Map<String, Object> c, String what) {
        HutchException e = assertThrows(HutchException.class, () -> plan(c));
        assertTrue(e.getMessage().startsWith("config.json: ") && e.getMessage().contains(what), e.getMessage());
    }

    @Test
    void aSeccompProfileInTheRuntimeSpecsShapeCompiles() {
        Map<String, Object> c = config();
        Map<String, Object> seccomp = new LinkedHashMap<>();
        seccomp.put("defaultAction", "SCMP_ACT_ERRNO");
        seccomp.put("defaultErrnoRet", 38);
        seccomp.put("architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"));
        seccomp.put("syscalls", List.of(
                Map.of("names", List.of("read", "write", "exit_group", "execve"), "action", "SCMP_ACT_ALLOW"),
                Map.of("names", List.of("personality"), "action", "SCMP_ACT_ALLOW",
                        "args", List.of(Map.of("index", 0, "value", 0, "op", "SCMP_CMP_EQ")))));
        ((Map<String, Object>) c.get("linux")).put("seccomp", seccomp);
        String hex = plan(c).seccompHex();
        assertNotNull(hex);
        assertEquals(0, hex.length() % 16, "whole struct sock_filter entries (8 bytes each)");

        seccomp.put("listenerPath", "/run/notify.sock");
        assertRefused(c, "linux.seccomp.listenerPath");
    }
}
