package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the host a container may reach, in docker's terms: {@code --privileged},
 * {@code --cap-add}/{@code --cap-drop}, {@code --security-opt seccomp=...} and
 * {@code no-new-privileges}, {@code --device}, {@code --device-cgroup-rule}. The default (all fields empty) is docker's default
 * container, with no_new_privs on (hutch's default; docker's is off).
 *
 * @param seccompProfile null for the default profile, {@link #UNCONFINED}, or a profile's JSON text
 *                       (the content, not the file name, as docker stores it: the container does not
 *                       depend on the file later)
 * @param noNewPrivileges null for the default (on)
 * @param deviceCgroupRules extra device allow rules, {@code --device-cgroup-rule}
 */
public record SecurityOptions(boolean privileged, List<String> capAdd, List<String> capDrop, String seccompProfile,
                              Boolean noNewPrivileges, List<DeviceMapping> devices,
                              List<DeviceCgroupRule> deviceCgroupRules, UserNamespaceMode userns) implements JsonWritable {

    public static final String UNCONFINED = "unconfined";
    public static final SecurityOptions DEFAULT = new SecurityOptions(false, List.of(), List.of(), null, null, List.of(), List.of());

    public SecurityOptions {
        capAdd = List.copyOf(capAdd == null ? List.of() : capAdd);
        capDrop = List.copyOf(capDrop == null ? List.of() : capDrop);
        devices = List.copyOf(devices == null ? List.of() : devices);
        deviceCgroupRules = List.copyOf(deviceCgroupRules == null ? List.of() : deviceCgroupRules);
        userns = userns == null ? UserNamespaceMode.HOST : userns;
    }

    /** Without a user namespace ({@code --userns=host}). */
    public SecurityOptions(boolean privileged, List<String> capAdd, List<String> capDrop, String seccompProfile,
                           Boolean noNewPrivileges, List<DeviceMapping> devices, List<DeviceCgroupRule> deviceCgroupRules) {
        this(privileged, capAdd, capDrop, seccompProfile, noNewPrivileges, devices, deviceCgroupRules, UserNamespaceMode.HOST);
    }

    /** A host device made available in the container: {@code --device HOST[:CONTAINER[:PERMISSIONS]]}. */
    public record DeviceMapping(String hostPath, String containerPath, String permissions) implements JsonWritable {
        /** docker's syntax; permissions default to rwm, the container path to the host path. */
        public static DeviceMapping parse(String text) {
            String[] p = text.split(":", -1);
            if (p.length > 3 || p[0].isEmpty())
                throw new InvalidSpecException("--device", text, "is not HOST[:CONTAINER[:PERMISSIONS]] (try /dev/fuse or /dev/sdb:/dev/xvdb:r)");
            String host = p[0], ctr = host, perms = "rwm";
            if (p.length == 2) {
                if (isPermissions(p[1])) perms = p[1];
                else ctr = p[1];
            } else if (p.length == 3) {
                ctr = p[1];
                perms = p[2];
            }
            DeviceMapping d = new DeviceMapping(host, ctr, perms);
            d.check();
            return d;
        }

        static boolean isPermissions(String s) { return !s.isEmpty() && s.matches("[rwm]{1,3}"); }

        void check() {
            String text = hostPath + ":" + containerPath + ":" + permissions;
            if (!hostPath.startsWith("/"))
                throw new InvalidSpecException("--device", text, "needs an absolute host path (try /dev/fuse)");
            if (!containerPath.startsWith("/"))
                throw new InvalidSpecException("--device", text, "needs an absolute container path (try /dev/xvdb)");
            if (!isPermissions(permissions))
                throw new InvalidSpecException("--device", text, "has permissions \"" + permissions + "\" (use a combination of r, w and m)");
        }

        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("hostPath", hostPath);
            m.put("containerPath", containerPath);
            m.put("permissions", permissions);
            return m;
        }

        public static DeviceMapping fromJson(Object json) {
            JsonReader r = JsonReader.of(json);
            return new DeviceMapping(r.string("hostPath"), r.string("containerPath", r.string("hostPath")), r.string("permissions", "rwm"));
        }
    }

    /**
     * docker's {@code --device-cgroup-rule}, the v1 {@code devices.allow} line: {@code TYPE MAJOR:MINOR ACCESS},
     * TYPE {@code a}, {@code b} or {@code c}, MAJOR and MINOR a number or {@code *} (kept as -1),
     * ACCESS a combination of {@code r}, {@code w}, {@code m}.
     */
    public record DeviceCgroupRule(char type, long major, long minor, String access) {
        public static DeviceCgroupRule parse(String text) {
            String[] f = text.trim().split(" +");
            String[] mm = f.length == 3 ? f[1].split(":", -1) : new String[0];
            if (f.length != 3 || f[0].length() != 1 || "abc".indexOf(f[0].charAt(0)) < 0 || mm.length != 2
                    || !numberOrAny(mm[0]) || !numberOrAny(mm[1]) || !f[2].matches("[rwm]{1,3}"))
                throw new InvalidSpecException("--device-cgroup-rule", text,
                        "is not TYPE MAJOR:MINOR ACCESS (TYPE a, b or c; MAJOR and MINOR a number or *; ACCESS of r, w and m: try 'c 1:3 rwm' or 'b 8:* r')");
            return new DeviceCgroupRule(f[0].charAt(0), number(mm[0]), number(mm[1]), f[2]);
        }

        private static boolean numberOrAny(String s) { return s.equals("*") || s.matches("[0-9]{1,9}"); }

        private static long number(String s) { return s.equals("*") ? -1 : Long.parseLong(s); }

        /** docker's text again, as kept in config.json. */
        @Override
        public String toString() {
            return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":" + (minor < 0 ? "*" : Long.toString(minor)) + " " + access;
        }
    }

    /** Field by field rather than equals(): a record's equals costs a cold JVM an indy bootstrap. */
    public boolean isDefault() {
        return !privileged && capAdd.isEmpty() && capDrop.isEmpty() && seccompProfile == null && noNewPrivileges == null
                && devices.isEmpty() && deviceCgroupRules.isEmpty() && !userns.isAuto();
    }

    public boolean noNewPrivilegesOrDefault() { return noNewPrivileges == null || noNewPrivileges; }

    public boolean seccompUnconfined() { return privileged || UNCONFINED.equals(seccompProfile); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (privileged) m.put("privileged", true);
        if (!capAdd.isEmpty()) m.put("capAdd", capAdd);
        if (!capDrop.isEmpty()) m.put("capDrop", capDrop);
        if (seccompProfile != null) m.put("seccompProfile", seccompProfile);
        if (noNewPrivileges != null) m.put("noNewPrivileges", noNewPrivileges);
        if (!devices.isEmpty()) m.put("devices", devices.stream().map(DeviceMapping::toJson).toList());
        if (!deviceCgroupRules.isEmpty()) m.put("deviceCgroupRules", deviceCgroupRules.stream().map(DeviceCgroupRule::toString).toList());
        if (userns.isAuto()) m.put("userns", userns.toString());
        return m;
    }

    public static SecurityOptions fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        return new SecurityOptions(r.bool("privileged", false), r.strings("capAdd"), r.strings("capDrop"),
                r.string("seccompProfile"), r.has("noNewPrivileges") ? r.bool("noNewPrivileges", true) : null,
                r.list("devices").stream().map(DeviceMapping::fromJson).toList(), r.strings("deviceCgroupRules").stream().map(DeviceCgroupRule::parse).toList(),
                UserNamespaceMode.parse(r.string("userns", "host")));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.privileged = privileged; b.capAdd.addAll(capAdd); b.capDrop.addAll(capDrop);
        b.seccompProfile = seccompProfile; b.noNewPrivileges = noNewPrivileges; b.devices.addAll(devices);
        b.deviceCgroupRules.addAll(deviceCgroupRules);
        b.userns = userns;
        return b;
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private boolean privileged;
        private final List<String> capAdd = new ArrayList<>(), capDrop = new ArrayList<>();
        private String seccompProfile;
        private Boolean noNewPrivileges;
        private final List<DeviceMapping> devices = new ArrayList<>();
        private final List<DeviceCgroupRule> deviceCgroupRules = new ArrayList<>();
        private UserNamespaceMode userns = UserNamespaceMode.HOST;

        public Builder privileged(boolean v) { privileged = v; return this; }
        public Builder capAdd(String cap) { capAdd.add(cap); return this; }
        public Builder capDrop(String cap) { capDrop.add(cap); return this; }
        /** null: the default profile; {@link #UNCONFINED}; or a docker JSON profile's text. */
        public Builder seccompProfile(String v) { seccompProfile = v; return this; }
        public Builder noNewPrivileges(Boolean v) { noNewPrivileges = v; return this; }
        public Builder device(DeviceMapping d) { devices.add(d); return this; }
        /** podman's {@code --userns}: host or auto[:size=N]. */
        public Builder userns(UserNamespaceMode v) { userns = v == null ? UserNamespaceMode.HOST : v; return this; }

        public Builder deviceCgroupRule(DeviceCgroupRule r) { deviceCgroupRules.add(r); return this; }

        public SecurityOptions build() {
            return new SecurityOptions(privileged, capAdd, capDrop, seccompProfile, noNewPrivileges, devices, deviceCgroupRules, userns);
        }
    }
}
