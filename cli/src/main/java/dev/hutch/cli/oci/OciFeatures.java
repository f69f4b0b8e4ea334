package dev.hutch.cli.oci;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code features}: the runtime-spec's features document, true to what hutch's OCI runtime does (docs/oci.md). */
final class OciFeatures {
    private OciFeatures() {}

    static Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersionMin", "1.0.0");
        m.put("ociVersionMax", OciMain.SPEC_VERSION);
        m.put("hooks", List.of("prestart", "createRuntime", "poststart", "poststop"));
        m.put("mountOptions", List.of("bind", "rbind", "ro", "rw", "nosuid", "suid", "nodev", "dev", "noexec", "exec",
                "relatime", "norelatime", "strictatime", "nostrictatime", "noatime", "atime", "nodiratime", "diratime",
                "private", "rprivate", "slave", "rslave", "shared", "rshared", "unbindable", "runbindable", "defaults"));
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", List.of("cgroup", "ipc", "mount", "network", "pid", "uts"));
        linux.put("capabilities", dev.hutch.security.Capabilities.ALL);
        linux.put("cgroup", Map.of("v1", true, "v2", true, "systemd", false, "systemdUser", false, "rdma", false));
        linux.put("seccomp", Map.of("enabled", true, "actions", List.of("SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
                "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_TRACE", "SCMP_ACT_LOG"),
                "operators", List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                        "SCMP_CMP_MASKED_EQ")));
        linux.put("apparmor", Map.of("enabled", false));
        linux.put("selinux", Map.of("enabled", false));
        m.put("linux", linux);
        m.put("annotations", Map.of("org.opencontainers.runtime-spec.features.hutch.version", dev.hutch.cli.Version.get()));
        return m;
    }
}
