package dev.hutch.oci;

import dev.hutch.json.JsonReader;
import dev.hutch.runtime.LaunchFile;
import dev.hutch.security.Capabilities;
import dev.hutch.spec.KernelOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The bundle's {@code process} (or an exec's process.json) as the helper's process keys. The
 * helper keeps one capability set for every set of the process: the intersection of the
 * effective, permitted and bounding sets the config lists (never more than any of them).
 */
public record ProcessPlan(List<String> args, List<String> env, String cwd, long uid, long gid,
                          List<Long> additionalGids, List<String> capabilities, boolean noNewPrivileges,
                          boolean terminal, KernelOptions kernel) {

    private static final Set<String> MAPPED = Set.of("args", "env", "cwd", "user", "capabilities", "rlimits",
            "noNewPrivileges", "terminal", "oomScoreAdj");
    /** Read by nobody: see docs/oci.md for why each is safe to leave. */
    private static final Set<String> IGNORED = Set.of("consoleSize", "apparmorProfile", "selinuxLabel");

    /** @param defaultCaps an exec's process.json without capabilities gets the container's */
    public static ProcessPlan from(JsonReader p, List<String> defaultCaps) {
        ConfigFields.check(p, "process.", MAPPED, IGNORED);
        List<String> args = ConfigFields.strings(p, "args");
        if (args.isEmpty()) throw ConfigFields.refused("process.args", "is empty: the container needs a command");
        String cwd = p.string("cwd", "/");
        if (!cwd.startsWith("/")) throw ConfigFields.refused("process.cwd", "\"" + cwd + "\" must be an absolute path");
        JsonReader user = p.object("user");
        ConfigFields.check(user, "process.user.", Set.of("uid", "gid", "additionalGids"), Set.of("umask"));
        List<Long> gids = new ArrayList<>();
        for (Object g : user.list("additionalGids")) gids.add(((Number) g).longValue());

        KernelOptions.Builder kernel = KernelOptions.builder();
        for (Object o : p.list("rlimits")) {
            JsonReader r = JsonReader.of(o);
            String type = r.string("type", "");
            String name = type.toUpperCase(Locale.ROOT).replaceFirst("^RLIMIT_", "");
            if (name.isEmpty()) throw ConfigFields.refused("process.rlimits", "has an entry without a type");
            kernel.ulimit(new KernelOptions.Ulimit(name.toLowerCase(Locale.ROOT), r.number("soft", -1), r.number("hard", -1)));
        }
        Long oom = p.longOrNull("oomScoreAdj");
        if (oom != null) kernel.oomScoreAdj(oom.intValue());
        for (Long g : gids) kernel.groupAdd(Long.toString(g));

        return new ProcessPlan(args, ConfigFields.strings(p, "env"), cwd, user.number("uid", 0), user.number("gid", 0),
                gids, capabilities(p.object("capabilities"), p.has("capabilities") ? null : defaultCaps, user.number("uid", 0)),
                p.bool("noNewPrivileges", false), p.bool("terminal", false), kernel.build());
    }

    private static List<String> capabilities(JsonReader c, List<String> fallback, long uid) {
        if (fallback != null) return fallback;
        ConfigFields.check(c, "process.capabilities.", Set.of("bounding", "effective", "permitted", "inheritable", "ambient"), Set.of());
        // uid 0 gets its permitted set as effective at execve anyway: ambient adds nothing there
        if (uid != 0 && !ConfigFields.strings(c, "ambient").isEmpty())
            throw ConfigFields.refused("process.capabilities.ambient", "is not supported for a non-root user (hutch gives no ambient capabilities)");
        Set<String> keep = null;
        for (String set : List.of("bounding", "effective", "permitted")) {
            if (!c.has(set)) continue;
            Set<String> these = new LinkedHashSet<>();
            for (String name : c.strings(set)) these.add(Capabilities.normalize("process.capabilities." + set, name));
            if (keep == null) keep = these;
            else keep.retainAll(these);
        }
        return keep == null ? List.of() : List.copyOf(keep);
    }

    /** The process keys of a launch or exec file (rlimits only in a launch file: exec has none). */
    public void writeTo(LaunchFile f, boolean withRlimits) {
        f.put("tty", terminal);
        f.putAll("env", env);
        f.put("cwd", cwd);
        f.put("uid", uid);
        f.put("gid", gid);
        for (Long g : additionalGids) f.put("additional_gid", g);
        f.putAll("cap", capabilities);
        f.put("no_new_privs", noNewPrivileges);
        if (withRlimits)
            for (KernelOptions.Ulimit u : kernel.ulimits())
                f.put("rlimit", u.name().toUpperCase(Locale.ROOT) + " " + limit(u.soft()) + " " + limit(u.hard()));
    }

    private static String limit(long v) { return v < 0 ? "unlimited" : Long.toString(v); }

    /** The command last: the helper wants its arg lines after everything else it reads. */
    public void writeArgs(LaunchFile f) { f.putAll("arg", args); }
}
