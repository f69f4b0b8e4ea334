package dev.hutch.image;

import dev.hutch.json.Json;
import dev.hutch.spec.InvalidSpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's {@code commit --change} and {@code import --change}: Dockerfile instructions that only
 * touch the config: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, STOPSIGNAL, HEALTHCHECK. CMD and ENTRYPOINT take the
 * JSON form ({@code CMD ["sh","-c","x"]}) or the shell form ({@code CMD echo hi} runs under
 * {@code /bin/sh -c}), as in a Dockerfile.
 */
public final class ConfigChanges {
    private ConfigChanges() {}

    public static ImageConfig apply(ImageConfig base, List<String> changes) {
        List<String> env = new ArrayList<>(base.env());
        List<String> entrypoint = base.entrypoint();
        List<String> cmd = base.cmd();
        String workdir = base.workdir(), user = base.user();
        List<String> ports = new ArrayList<>(base.exposedPorts());
        Map<String, String> labels = new LinkedHashMap<>(base.labels());
        String stopSignal = base.stopSignal();
        dev.hutch.spec.HealthCheck health = base.healthcheck();
        for (String change : changes) {
            String c = change.trim();
            int sp = c.indexOf(' ');
            if (sp < 0) throw bad(change);
            String verb = c.substring(0, sp).toUpperCase(), arg = c.substring(sp + 1).trim();
            switch (verb) {
                case "CMD" -> cmd = command(arg, change);
                case "ENTRYPOINT" -> entrypoint = command(arg, change);
                case "WORKDIR" -> workdir = arg;
                case "USER" -> user = arg;
                case "ENV" -> keyValues(arg, change).forEach((k, v) -> {
                    env.removeIf(e -> e.startsWith(k + "="));
                    env.add(k + "=" + v);
                });
                case "LABEL" -> labels.putAll(keyValues(arg, change));
                case "STOPSIGNAL" -> {
                    if (!arg.matches("(SIG)?[A-Z0-9+]+|\\d{1,2}")) throw bad(change);
                    stopSignal = arg;
                }
                case "HEALTHCHECK" -> health = healthcheck(arg, change);
                case "EXPOSE" -> {
                    for (String p : arg.split("\\s+")) {
                        String port = p.contains("/") ? p : p + "/tcp";
                        if (!port.matches("\\d{1,5}/(tcp|udp|sctp)")) throw bad(change);
                        if (!ports.contains(port)) ports.add(port);
                    }
                }
                default -> throw new InvalidSpecException("--change", change,
                        "is not a supported instruction (use CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, STOPSIGNAL or HEALTHCHECK)");
            }
        }
        return new ImageConfig(env, entrypoint, cmd, workdir, user, ports, labels, stopSignal, health);
    }

    /** {@code HEALTHCHECK [--interval=D] [--timeout=D] [--start-period=D] [--retries=N] CMD command}, or {@code HEALTHCHECK NONE}. */
    private static dev.hutch.spec.HealthCheck healthcheck(String arg, String change) {
        if (arg.equals("NONE")) return new dev.hutch.spec.HealthCheck(List.of("NONE"), 0, 0, 0, 0);
        long interval = 0, timeout = 0, start = 0;
        int retries = 0;
        String rest = arg;
        while (rest.startsWith("--")) {
            int sp = rest.indexOf(' ');
            if (sp < 0) throw bad(change);
            String opt = rest.substring(2, sp);
            rest = rest.substring(sp + 1).trim();
            int eq = opt.indexOf('=');
            if (eq < 0) throw bad(change);
            String k = opt.substring(0, eq), v = opt.substring(eq + 1);
            switch (k) {
                case "interval" -> interval = dev.hutch.spec.GoDuration.millis("--change HEALTHCHECK --interval", v);
                case "timeout" -> timeout = dev.hutch.spec.GoDuration.millis("--change HEALTHCHECK --timeout", v);
                case "start-period" -> start = dev.hutch.spec.GoDuration.millis("--change HEALTHCHECK --start-period", v);
                case "retries" -> {
                    try {
                        retries = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw bad(change);
                    }
                    if (retries < 0) throw bad(change);
                }
                default -> throw bad(change);
            }
        }
        if (!rest.startsWith("CMD ")) throw bad(change);
        String cmd = rest.substring(4).trim();
        List<String> test = new ArrayList<>();
        if (cmd.startsWith("[")) {
            test.add("CMD");
            test.addAll(command(cmd, change));
        } else {
            test.addAll(List.of("CMD-SHELL", cmd));
        }
        return new dev.hutch.spec.HealthCheck(test, interval, timeout, start, retries);
    }

    private static List<String> command(String arg, String change) {
        if (arg.startsWith("[")) {
            try {
                Object v = Json.parse(arg);
                if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
            } catch (RuntimeException e) {
                // fall through to the error
            }
            throw bad(change);
        }
        return List.of("/bin/sh", "-c", arg);
    }

    /** {@code K=V K2="v 2"} or the old form {@code K V}. */
    private static Map<String, String> keyValues(String arg, String change) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!arg.contains("=")) {
            String[] kv = arg.split("\\s+", 2);
            if (kv.length < 2) throw bad(change);
            out.put(kv[0], kv[1]);
            return out;
        }
        int i = 0;
        while (i < arg.length()) {
            while (i < arg.length() && arg.charAt(i) == ' ') i++;
            int eq = arg.indexOf('=', i);
            if (eq < 0) throw bad(change);
            String key = arg.substring(i, eq);
            StringBuilder val = new StringBuilder();
            i = eq + 1;
            boolean quoted = i < arg.length() && arg.charAt(i) == '"';
            if (quoted) i++;
            while (i < arg.length() && (quoted ? arg.charAt(i) != '"' : arg.charAt(i) != ' ')) val.append(arg.charAt(i++));
            if (quoted) i++;
            if (key.isEmpty()) throw bad(change);
            out.put(key, val.toString());
        }
        return out;
    }

    private static InvalidSpecException bad(String change) {
        return new InvalidSpecException("--change", change, "is not a valid instruction (e.g. 'CMD [\"sh\"]', 'ENV A=1', 'EXPOSE 80')");
    }
}
