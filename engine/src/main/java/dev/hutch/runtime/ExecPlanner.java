package dev.hutch.runtime;

import dev.hutch.spec.ExecSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The helper's exec file for a command in a running container: the container's own environment,
 * working directory, user and capabilities (read back from its launch file, so exec sees exactly
 * what the container's command saw), with the exec's own choices laid over them.
 */
public final class ExecPlanner {
    private ExecPlanner() {}

    public static LaunchFile plan(long initPid, Map<String, List<String>> launch, ExecSpec exec, List<Path> cgroupProcs,
                                  UserResolver users) {
        return plan(initPid, launch, exec, cgroupProcs, users, List.of());
    }

    /** @param groupAdd the container's {@code --group-add}: docker gives them to {@code exec -u USER} as well */
    public static LaunchFile plan(long initPid, Map<String, List<String>> launch, ExecSpec exec, List<Path> cgroupProcs,
                                  UserResolver users, List<String> groupAdd) {
        LaunchFile f = new LaunchFile();
        f.put("pid", initPid);
        // cgroup last among the created ones is fine for setns; the helper orders user first, mnt last.
        List<String> ns = new ArrayList<>(List.of("ipc", "uts", "net", "pid", "cgroup", "mnt"));
        String created = first(launch, "namespaces", "");
        if (!created.contains("net")) ns.remove("net"); // --network host: stay in the host's
        // --userns=auto: the command is the namespace's root (or the user asked for) as init is;
        // the helper joins user first, which gives it the rights over the others
        if (java.util.Arrays.asList(created.split(",")).contains("user")) ns.add(0, "user");
        f.put("namespaces", String.join(",", ns));
        for (Path p : cgroupProcs) f.put("cgroup_procs", p.toString());
        f.put("tty", exec.tty());
        f.put("stdin", exec.interactive());

        Map<String, String> env = new LinkedHashMap<>();
        for (String kv : launch.getOrDefault("env", List.of())) put(env, kv);
        for (String kv : exec.env()) put(env, kv);
        if (exec.tty()) env.putIfAbsent("TERM", "xterm");
        env.forEach((k, v) -> f.put("env", k + "=" + v));

        f.put("cwd", exec.workdir() != null ? exec.workdir() : first(launch, "cwd", "/"));
        if (exec.user() != null) {
            UserResolver.Ids ids = users.resolve(exec.user()).withGroups(users.groups(groupAdd));
            f.put("uid", ids.uid());
            f.put("gid", ids.gid());
            for (Long g : ids.additionalGids()) f.put("additional_gid", g);
        } else {
            f.put("uid", first(launch, "uid", "0"));
            f.put("gid", first(launch, "gid", "0"));
            f.putAll("additional_gid", launch.getOrDefault("additional_gid", List.of()));
        }
        f.putAll("cap", launch.getOrDefault("cap", DockerDefaults.CAPABILITIES));
        f.put("no_new_privs", first(launch, "no_new_privs", "1"));
        // the container's seccomp filter, as docker's exec gets it (absent: unconfined)
        f.putAll("seccomp", launch.getOrDefault("seccomp", List.of()));
        f.putAll("arg", exec.command());
        return f;
    }

    private static String first(Map<String, List<String>> m, String key, String dflt) {
        List<String> v = m.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }

    private static void put(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
