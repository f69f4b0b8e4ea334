package dev.hutch.oci;

import dev.hutch.cgroup.DeviceRule;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.runtime.DockerDefaults;
import dev.hutch.security.SecurityPlan;
import dev.hutch.security.SeccompCompiler;
import dev.hutch.security.SeccompProfile;
import dev.hutch.security.SyscallArch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * config.json (runtime-spec 1.0 to 1.2) to an {@link OciPlan}. Every field is mapped, ignored on
 * purpose, or refused with one line (see {@link ConfigFields} and docs/oci.md); this class only
 * decides, it changes nothing on the host.
 */
public final class OciPlanner {
    private static final Set<String> TOP = Set.of("ociVersion", "process", "root", "hostname", "mounts", "linux",
            "annotations", "hooks");
    /** domainname: refused when non-empty (not a field hutch sets). */
    private static final Set<String> LINUX = Set.of("namespaces", "resources", "cgroupsPath", "devices", "seccomp",
            "sysctl", "maskedPaths", "readonlyPaths");
    private static final Set<String> LINUX_IGNORED = Set.of("rootfsPropagation", "mountLabel");

    private OciPlanner() {}

    /**
     * @param bundle       the bundle directory (root.path is relative to it)
     * @param pureCgroupV2 whether the host has the unified hierarchy only
     */
    public static OciPlan plan(String configJson, Path bundle, boolean pureCgroupV2) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(configJson);
        } catch (RuntimeException e) {
            throw ConfigFields.refused("", "is not valid JSON: " + e.getMessage());
        }
        JsonReader c = new JsonReader(root);
        String version = c.string("ociVersion", "");
        if (!version.matches("1\\.[012](\\.\\d+)?(-.*)?"))
            throw ConfigFields.refused("ociVersion", "\"" + version + "\" is not one hutch reads (1.0 to 1.2)");
        ConfigFields.check(c, "", TOP, Set.of());
        JsonReader linux = c.object("linux");
        ConfigFields.check(linux, "linux.", LINUX, LINUX_IGNORED);
        List<String> warnings = new ArrayList<>();

        ProcessPlan process = ProcessPlan.from(c.object("process"), null);
        JsonReader rootSection = c.object("root");
        ConfigFields.check(rootSection, "root.", Set.of("path", "readonly"), Set.of());
        String rootPath = rootSection.string("path", "");
        if (rootPath.isEmpty()) throw ConfigFields.refused("root.path", "is missing");
        Path rootfs = bundle.resolve(rootPath).normalize();

        LinuxMapping.Namespaces ns = LinuxMapping.namespaces(linux.list("namespaces"));
        String hostname = c.string("hostname");
        if (hostname != null && !hostname.isEmpty() && !ns.created().contains("uts"))
            throw ConfigFields.refused("hostname", "needs a new uts namespace in linux.namespaces (hutch never renames the host)");

        List<String> nodes = new ArrayList<>(DockerDefaults.DEVICES);
        List<DeviceRule> rules = new ArrayList<>(DeviceRule.DEFAULTS);
        for (Object o : linux.list("devices")) {
            JsonReader d = JsonReader.of(o);
            String type = d.string("type", "");
            if (!type.equals("c") && !type.equals("b") && !type.equals("u"))
                throw ConfigFields.refused("linux.devices", "type \"" + type + "\" of " + d.string("path") + " is not supported (c, b, u)");
            char t = type.equals("b") ? 'b' : 'c';
            long major = d.number("major", 0), minor = d.number("minor", 0);
            long mode = d.number("fileMode", 0666) & 07777;
            nodes.add(d.string("path") + " " + t + " " + major + " " + minor + " " + Long.toOctalString(mode)
                    + " " + d.number("uid", 0) + " " + d.number("gid", 0));
            rules.add(new DeviceRule(t, major, minor, "rwm"));
        }

        // runc's rule, which is docker's: namespaced sysctls only, net.* only in a network namespace of the container's
        Map<String, String> sysctls = linux.stringMap("sysctl");
        boolean ownNetwork = ns.created().contains("net") || ns.joined().stream().anyMatch(j -> j.startsWith("net "));
        sysctls.forEach((name, value) -> dev.hutch.spec.KernelOptionsValidator.checkSysctl("config.json: linux.sysctl", name, value, ownNetwork));

        return new OciPlan(process, rootfs.toString(), rootSection.bool("readonly", false), hostname, ns,
                MountMapping.map(c.list("mounts"), pureCgroupV2), nodes, rules,
                ConfigFields.strings(linux, "maskedPaths"), ConfigFields.strings(linux, "readonlyPaths"),
                LinuxMapping.resources(linux.object("resources")), seccomp(linux, process), c.stringMap("annotations"),
                linux.string("cgroupsPath"), OciHooks.check(c.object("hooks")), warnings, sysctls);
    }

    /** linux.seccomp has docker's profile shape (without includes/excludes): the same compiler. */
    private static String seccomp(JsonReader linux, ProcessPlan process) {
        if (!linux.has("seccomp")) return null;
        JsonReader s = linux.object("seccomp");
        ConfigFields.check(s, "linux.seccomp.", Set.of("defaultAction", "defaultErrnoRet", "architectures", "syscalls"),
                Set.of("flags"));
        SyscallArch arch = SyscallArch.host();
        if (arch == null) throw ConfigFields.refused("linux.seccomp", "cannot be compiled on " + System.getProperty("os.arch"));
        SeccompProfile profile = SeccompProfile.parse(Json.write(s.raw()), "linux.seccomp");
        byte[] filter = SeccompCompiler.compile(profile, new HashSet<>(process.capabilities()), arch, System.getProperty("os.version"));
        return SecurityPlan.hex(filter);
    }
}
