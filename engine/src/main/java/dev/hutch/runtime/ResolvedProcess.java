package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.image.ImageConfig;
import dev.hutch.spec.ProcessSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process as it will really run: the spec's choices laid over the image's defaults the way
 * docker does it (an explicit entrypoint drops the image's CMD; env keys from the spec override the
 * image's; HOSTNAME is set; TERM=xterm with a tty).
 */
public record ResolvedProcess(List<String> argv, List<String> env, String cwd, String user) {

    public static ResolvedProcess resolve(ProcessSpec p, ImageConfig image, String hostname) {
        List<String> argv = new ArrayList<>();
        if (p.entrypoint() != null) {
            argv.addAll(p.entrypoint());
            argv.addAll(p.command());
        } else {
            if (image.entrypoint() != null) argv.addAll(image.entrypoint());
            argv.addAll(p.command().isEmpty() ? image.cmd() : p.command());
        }
        if (argv.isEmpty() || argv.get(0).isEmpty())
            throw new HutchException("no command specified: the image has no CMD or ENTRYPOINT (give one, e.g. hutch run IMAGE sh)");

        Map<String, String> env = new LinkedHashMap<>();
        List<String> base = image.env().isEmpty() ? ImageConfig.DEFAULT_ENV : image.env();
        for (String e : base) putEnv(env, e);
        if (!env.containsKey("PATH")) putEnv(env, ImageConfig.DEFAULT_ENV.get(0));
        env.put("HOSTNAME", hostname);
        if (p.tty()) env.put("TERM", "xterm");
        for (String e : p.env()) putEnv(env, e);
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));

        String cwd = p.workdir() != null ? p.workdir() : image.workdir() != null ? image.workdir() : "/";
        String user = p.user() != null ? p.user() : image.user() != null ? image.user() : "0";
        return new ResolvedProcess(List.copyOf(argv), List.copyOf(envList), cwd, user);
    }

    private static void putEnv(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
}
