package dev.hutch.testing;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates {@link RequiresRoot}, {@link RequiresCgroupV2} and {@link RequiresCommand}. A test that
 * cannot run here is reported as skipped with the reason, and the reason is printed to stderr so
 * it shows in the build log too.
 */
public final class HostConditions implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext ctx) {
        Optional<AnnotatedElement> el = ctx.getElement();
        if (el.isEmpty()) return ConditionEvaluationResult.enabled("no element");
        AnnotatedElement e = el.get();
        if (e.isAnnotationPresent(RequiresRoot.class) && !isRoot())
            return skip(ctx, "needs root (it makes namespaces, cgroups and mounts); run the suite as root");
        RequiresCgroupV2 v2 = e.getAnnotation(RequiresCgroupV2.class);
        if (v2 != null) {
            String why = cgroupV2Missing(v2.controllers());
            if (why != null) return skip(ctx, why);
        }
        RequiresCommand cmd = e.getAnnotation(RequiresCommand.class);
        if (cmd != null) {
            for (String c : cmd.value()) {
                if (!onPath(c)) return skip(ctx, "needs the host program `" + c + "`, which is not installed");
            }
        }
        return ConditionEvaluationResult.enabled("host has what the test needs");
    }

    private static ConditionEvaluationResult skip(ExtensionContext ctx, String why) {
        System.err.println("SKIPPED " + ctx.getDisplayName() + ": " + why);
        return ConditionEvaluationResult.disabled(why);
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException ignored) {
            // fall through
        }
        return false;
    }

    public static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
                .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** The cgroup v2 mount point on this host, or null. */
    public static Path cgroupV2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] parts = line.split(" - ");
                if (parts.length == 2 && parts[1].startsWith("cgroup2 ")) return Path.of(parts[0].split(" ")[4]);
            }
        } catch (IOException ignored) {
            // fall through
        }
        return null;
    }

    private static final String GUEST = " (./test.sh runs it on a pure cgroup v2 guest: scripts/guest/)";

    private static String cgroupV2Missing(String[] controllers) {
        Path m = cgroupV2Mount();
        if (m == null) return "needs a cgroup v2 hierarchy; this host has none mounted" + GUEST;
        try {
            List<String> have = List.of(Files.readString(m.resolve("cgroup.controllers")).trim().split("\\s+"));
            for (String c : controllers) {
                if (!have.contains(c))
                    return "needs the cgroup v2 controller '" + c + "'; this host's v2 hierarchy at " + m + " has only " + have + GUEST;
            }
        } catch (IOException e) {
            return "cannot read " + m + "/cgroup.controllers: " + e.getMessage();
        }
        return null;
    }
}
