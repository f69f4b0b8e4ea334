package dev.hutch.security;

import dev.hutch.json.Json;
import dev.hutch.spec.InvalidSpecException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A seccomp profile in docker's JSON format (moby's profiles/seccomp), parsed into data the
 * {@link SeccompCompiler} turns into a filter. Everything docker's format says about syscalls is
 * understood: default action and errno, rules with names, action, errnoRet, argument conditions,
 * and includes/excludes by capability, architecture and minimum kernel, and which architectures the
 * filter covers ({@code architectures}, or {@code archMap}: see {@link #architecturesFor});
 * {@code flags} are ignored; a {@code listenerPath} (user notification) is refused.
 *
 * @param architectures libseccomp names from {@code architectures}
 * @param archMap       {@code archMap}: native libseccomp name → its sub-architectures
 */
public record SeccompProfile(Action defaultAction, List<Rule> rules, List<String> architectures,
                             Map<String, List<String>> archMap) {

    /** What a filter returns: the kernel's SECCOMP_RET_* value, data included. */
    public record Action(String name, long ret) {
        static final long ALLOW = 0x7fff0000L, ERRNO = 0x00050000L, KILL_THREAD = 0, KILL_PROCESS = 0x80000000L,
                TRAP = 0x00030000L, TRACE = 0x7ff00000L, LOG = 0x7ffc0000L;

        public boolean allows() { return ret == ALLOW; }
    }

    /** One argument test; for MASKED_EQ, {@code value} is the mask and {@code valueTwo} what the masked arg must equal. */
    public record Arg(int index, long value, long valueTwo, String op) {}

    public record Rule(List<String> names, Action action, List<Arg> args, Set<String> includeCaps,
                       Set<String> includeArches, String minKernel, Set<String> excludeCaps, Set<String> excludeArches) {}

    private static final List<String> OPS = List.of("SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
            "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ");

    /** The profile hutch uses unless told otherwise: docker's default ({@link DefaultSeccompProfile}). */
    public static String defaultJson() { return DefaultSeccompProfile.JSON; }

    /**
     * @param source what to name in an error, e.g. the profile's file name
     * @throws InvalidSpecException naming the source and what is wrong with it
     */
    public static SeccompProfile parse(String json, String source) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(json);
        } catch (RuntimeException e) {
            throw bad(source, "is not valid JSON (" + e.getMessage() + ")");
        }
        if (root.get("listenerPath") instanceof String s && !s.isEmpty())
            throw bad(source, "asks for a seccomp notification listener (listenerPath), which hutch does not support; remove it");
        Object da = root.get("defaultAction");
        if (!(da instanceof String))
            throw bad(source, "has no \"defaultAction\" (a docker seccomp profile starts with \"defaultAction\": \"SCMP_ACT_ERRNO\")");
        long defaultErrno = number(root.get("defaultErrnoRet"), 1, source, "defaultErrnoRet");
        Action dflt = action((String) da, defaultErrno, source);
        List<Rule> rules = new ArrayList<>();
        Object calls = root.get("syscalls");
        if (calls != null && !(calls instanceof List)) throw bad(source, "has \"syscalls\" that is not a list");
        int i = 0;
        for (Object o : calls == null ? List.of() : (List<?>) calls) {
            String where = "syscalls[" + i++ + "]";
            if (!(o instanceof Map<?, ?> m)) throw bad(source, "has " + where + " that is not an object");
            List<String> names = new ArrayList<>(strings(m.get("names"), source, where + ".names"));
            if (m.get("name") instanceof String n) names.add(n); // the older one-name spelling
            if (names.isEmpty()) throw bad(source, "has " + where + " without \"names\"");
            if (!(m.get("action") instanceof String a)) throw bad(source, "has " + where + " without an \"action\"");
            Action act = action(a, number(m.get("errnoRet"), defaultErrno, source, where + ".errnoRet"), source);
            List<Arg> args = new ArrayList<>();
            if (m.get("args") instanceof List<?> list) {
                for (Object ao : list) {
                    if (!(ao instanceof Map<?, ?> am)) throw bad(source, "has " + where + ".args with a non-object");
                    long index = number(am.get("index"), -1, source, where + ".args.index");
                    if (index < 0 || index > 5) throw bad(source, "has " + where + ".args.index " + index + " (use 0 to 5)");
                    String op = am.get("op") instanceof String s ? s : "";
                    if (!OPS.contains(op)) throw bad(source, "has " + where + ".args.op \"" + op + "\" (use one of " + String.join(", ", OPS) + ")");
                    args.add(new Arg((int) index, number(am.get("value"), 0, source, where + ".args.value"),
                            number(am.get("valueTwo"), 0, source, where + ".args.valueTwo"), op));
                }
            }
            Map<?, ?> inc = m.get("includes") instanceof Map<?, ?> x ? x : Map.of();
            Map<?, ?> exc = m.get("excludes") instanceof Map<?, ?> x ? x : Map.of();
            rules.add(new Rule(names, act, args, Set.copyOf(strings(inc.get("caps"), source, where + ".includes.caps")),
                    Set.copyOf(strings(inc.get("arches"), source, where + ".includes.arches")),
                    inc.get("minKernel") instanceof String k ? k : null,
                    Set.copyOf(strings(exc.get("caps"), source, where + ".excludes.caps")),
                    Set.copyOf(strings(exc.get("arches"), source, where + ".excludes.arches"))));
        }
        List<String> arches = strings(root.get("architectures"), source, "architectures");
        for (String a : arches) knownArch(a, source, "architectures");
        Map<String, List<String>> archMap = new LinkedHashMap<>();
        if (root.get("archMap") != null && !(root.get("archMap") instanceof List))
            throw bad(source, "has \"archMap\" that is not a list");
        for (Object o : root.get("archMap") instanceof List<?> l ? l : List.of()) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("architecture") instanceof String a))
                throw bad(source, "has an archMap entry without \"architecture\"");
            knownArch(a, source, "archMap");
            List<String> subs = strings(m.get("subArchitectures"), source, "archMap.subArchitectures");
            for (String sub : subs) knownArch(sub, source, "archMap.subArchitectures");
            archMap.put(a, subs);
        }
        if (!arches.isEmpty() && !archMap.isEmpty()) // as docker: one or the other
            throw bad(source, "has both \"architectures\" and \"archMap\" (use one of them)");
        return new SeccompProfile(dflt, rules, List.copyOf(arches), archMap);
    }

    private static void knownArch(String name, String source, String field) {
        if (!SyscallArch.KNOWN_SCMP_NAMES.contains(name))
            throw bad(source, "has " + field + " \"" + name + "\", not a libseccomp architecture (try SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_AARCH64)");
    }

    /**
     * The architectures a filter for {@code nativeArch} covers, as docker and runc decide them: the
     * native one always (libseccomp adds it to every filter); with an {@code archMap}, the
     * sub-architectures of its entry for the native one (docker's default maps x86_64 to x86 and
     * x32); else those listed in {@code architectures}. Of these, only the ones hutch has a table
     * for and that can occur on this machine are returned; a call from any other architecture is
     * refused by the filter's architecture check (libseccomp's bad-arch action).
     */
    public List<SyscallArch> architecturesFor(SyscallArch nativeArch) {
        Set<String> wanted = new HashSet<>(archMap.isEmpty() ? architectures
                : archMap.getOrDefault(nativeArch.scmpName(), List.of()));
        List<SyscallArch> out = new ArrayList<>();
        out.add(nativeArch);
        for (SyscallArch sub : nativeArch.subArchitectures()) if (wanted.contains(sub.scmpName())) out.add(sub);
        return out;
    }

    private static Action action(String name, long errno, String source) {
        long e = errno & 0xffff;
        return switch (name) {
            case "SCMP_ACT_ALLOW" -> new Action(name, Action.ALLOW);
            case "SCMP_ACT_ERRNO" -> new Action(name, Action.ERRNO | e);
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> new Action(name, Action.KILL_THREAD);
            case "SCMP_ACT_KILL_PROCESS" -> new Action(name, Action.KILL_PROCESS);
            case "SCMP_ACT_TRAP" -> new Action(name, Action.TRAP);
            case "SCMP_ACT_TRACE" -> new Action(name, Action.TRACE | e);
            case "SCMP_ACT_LOG" -> new Action(name, Action.LOG);
            case "SCMP_ACT_NOTIFY" -> throw bad(source, "uses SCMP_ACT_NOTIFY, which needs a notification listener hutch does not have");
            default -> throw bad(source, "has action \"" + name + "\" (use SCMP_ACT_ALLOW, SCMP_ACT_ERRNO, SCMP_ACT_KILL_PROCESS, SCMP_ACT_KILL_THREAD, SCMP_ACT_TRAP, SCMP_ACT_TRACE or SCMP_ACT_LOG)");
        };
    }

    private static long number(Object v, long dflt, String source, String field) {
        if (v == null) return dflt;
        if (v instanceof Long l) return l;
        if (v instanceof Double d && d >= 0 && d < 18446744073709551616.0 && d == Math.rint(d))
            return new BigDecimal(d).toBigInteger().longValue(); // above Long.MAX_VALUE: keep the unsigned bits
        throw bad(source, "has " + field + " " + v + " that is not a whole number");
    }

    private static List<String> strings(Object v, String source, String field) {
        if (v == null) return List.of();
        if (!(v instanceof List<?> list)) throw bad(source, "has " + field + " that is not a list of strings");
        List<String> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s)) throw bad(source, "has " + field + " with a non-string " + o);
            out.add(s);
        }
        return out;
    }

    private static InvalidSpecException bad(String source, String problem) {
        return new InvalidSpecException("--security-opt seccomp", source, problem);
    }
}
