package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-container kernel settings that are neither resources (cgroup files) nor security: namespaced
 * sysctls ({@code --sysctl}), resource limits of the process ({@code --ulimit}), the OOM killer's
 * bias ({@code --oom-score-adj}), the size of /dev/shm ({@code --shm-size}) and extra groups of the
 * process ({@code --group-add}). The OCI runtime maps the bundle's {@code linux.sysctl},
 * {@code process.rlimits}, {@code process.oomScoreAdj} and {@code process.user.additionalGids} here too,
 * so both front ends reach the helper through the same fields.
 *
 * @param sysctls     name (dotted, as {@code sysctl} prints it) to value; empty: the kernel's defaults
 * @param ulimits     replace hutch's default rlimits by name; empty: the defaults
 * @param oomScoreAdj null: inherit (docker's default, 0 for the engine)
 * @param shmSize     bytes of /dev/shm; null: docker's 64 MiB
 * @param groupAdd    supplementary groups by name or number, resolved in the container's /etc/group
 */
public record KernelOptions(Map<String, String> sysctls, List<Ulimit> ulimits, Integer oomScoreAdj, Long shmSize,
                            List<String> groupAdd) implements JsonWritable {

    public static final KernelOptions DEFAULT = new KernelOptions(Map.of(), List.of(), null, null, List.of());

    public KernelOptions {
        sysctls = sysctls == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
        ulimits = List.copyOf(ulimits == null ? List.of() : ulimits);
        groupAdd = List.copyOf(groupAdd == null ? List.of() : groupAdd);
    }

    /**
     * One resource limit, as docker names it ({@code nofile}, {@code nproc}, {@code core}...; lower case,
     * without {@code RLIMIT_}). -1 is unlimited.
     */
    public record Ulimit(String name, long soft, long hard) implements JsonWritable {
        @Override
        public Object toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("soft", soft);
            m.put("hard", hard);
            return m;
        }

        static Ulimit fromJson(Object json) {
            JsonReader r = JsonReader.of(json);
            return new Ulimit(r.string("name"), r.number("soft", -1), r.number("hard", -1));
        }
    }

    public boolean isDefault() { return equals(DEFAULT); }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!sysctls.isEmpty()) m.put("sysctls", new LinkedHashMap<>(sysctls));
        if (!ulimits.isEmpty()) m.put("ulimits", ulimits.stream().map(Ulimit::toJson).toList());
        if (oomScoreAdj != null) m.put("oomScoreAdj", oomScoreAdj);
        if (shmSize != null) m.put("shmSize", shmSize);
        if (!groupAdd.isEmpty()) m.put("groupAdd", groupAdd);
        return m;
    }

    public static KernelOptions fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        Long oom = r.longOrNull("oomScoreAdj");
        return new KernelOptions(r.stringMap("sysctls"), r.list("ulimits").stream().map(Ulimit::fromJson).toList(),
                oom == null ? null : oom.intValue(), r.longOrNull("shmSize"), r.strings("groupAdd"));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sysctls.putAll(sysctls); b.ulimits.addAll(ulimits); b.oomScoreAdj = oomScoreAdj; b.shmSize = shmSize;
        b.groupAdd.addAll(groupAdd);
        return b;
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        private final List<Ulimit> ulimits = new ArrayList<>();
        private final List<String> groupAdd = new ArrayList<>();
        private Integer oomScoreAdj;
        private Long shmSize;

        public Builder sysctl(String name, String value) { sysctls.put(name, value); return this; }
        /** A later limit of the same name replaces the earlier one, as docker's repeated --ulimit does. */
        public Builder ulimit(Ulimit u) { ulimits.removeIf(x -> x.name().equals(u.name())); ulimits.add(u); return this; }
        public Builder oomScoreAdj(Integer v) { oomScoreAdj = v; return this; }
        public Builder shmSize(Long v) { shmSize = v; return this; }
        public Builder groupAdd(String g) { groupAdd.add(g); return this; }

        public KernelOptions build() { return new KernelOptions(sysctls, ulimits, oomScoreAdj, shmSize, groupAdd); }
    }
}
