package dev.hutch.cli.completion;

import dev.hutch.cli.Command;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;
import dev.hutch.cli.commands.Commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What shell completion knows of each verb, read from the same definitions that print
 * {@code --help} and docs/cli.md: the verb list, each verb's flag table, its sub-verbs, and the
 * operands named in its usage line (CONTAINER, IMAGE, NETWORK, VOLUME). A new flag or verb is
 * completed the moment it is defined; nothing here lists them a second time.
 */
public final class CompletionModel {
    /** The options before the verb, as {@code dev.hutch.cli.Main} reads them; the first three take a value. */
    static final List<String> GLOBAL_VALUE_FLAGS = List.of("--run-root", "--lib-root", "--cgroup-parent");
    static final List<String> GLOBAL_FLAGS = List.of("--run-root", "--lib-root", "--cgroup-parent", "--debug", "-D", "--help", "-h", "--version", "-v");

    /** Flags whose value is the name of something hutch keeps, by long name (the same on every verb). */
    private static final Map<String, String> NAMED_VALUES = Map.of("network", "networks", "net", "networks", "volume", "volumes", "volumes-from", "containers");

    /** Verbs that act only on a running container: their CONTAINER operand completes running ones. */
    private static final Set<String> ON_RUNNING = Set.of("exec", "stop", "kill", "pause", "unpause", "top", "stats", "port", "debug", "attach");

    /**
     * One verb or sub-verb. {@code key} is "run" or "network_rm". {@code operands} has one entry per
     * operand position: a name kind after a colon (":containers"), literal words joined by "|"
     * ("bash|zsh|fish"), or "-" for free text; a trailing "+" repeats the last position.
     */
    public record Verb(String key, String summary, List<String> flags, List<String> valueFlags, Map<String, String> valueKinds,
                       List<String> operands, boolean operandEndsFlags, List<String> subcommands) {}

    private CompletionModel() {}

    /** Every verb in {@code hutch --help} order, each followed by its sub-verbs. */
    public static List<Verb> verbs() {
        List<Verb> out = new ArrayList<>();
        for (String name : Commands.names()) {
            Command c = Commands.find(name);
            List<Subcommand> subs = c.subcommands();
            List<String> subNames = subs.stream().map(Subcommand::name).toList();
            out.add(verb(name, name, c.summary(), firstLine(c.usage()), c.flags(), subNames));
            for (Subcommand s : subs) out.add(verb(name + "_" + s.name(), name, c.summary(), s.usage(), s.flags(), List.of()));
        }
        return out;
    }

    private static Verb verb(String key, String verbName, String summary, String usage, Flags flags, List<String> subs) {
        List<String> all = new ArrayList<>(), values = new ArrayList<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        for (Flags.Spec s : flags.specs()) {
            List<String> names = new ArrayList<>(List.of("--" + s.longName()));
            if (s.shortName() != null) names.add("-" + s.shortName());
            all.addAll(names);
            if (!s.takesValue()) continue;
            values.addAll(names);
            String kind = NAMED_VALUES.get(s.longName());
            if (kind != null) for (String n : names) kinds.put(n, kind);
        }
        int nameWords = key.split("_").length;
        List<String> operands = subs.isEmpty() ? operands(usage, nameWords, ON_RUNNING.contains(verbName)) : List.of();
        return new Verb(key, summary, all, values, kinds, operands, flags.stopsAtFirstPositional() && subs.isEmpty(), subs);
    }

    private static String firstLine(String usage) { return usage.split("\n", 2)[0]; }

    /**
     * The operands of a usage line such as "network connect [--alias NAME] NETWORK CONTAINER" or
     * "stop [OPTIONS] CONTAINER [CONTAINER...]": option groups and remarks in parentheses dropped,
     * each remaining word turned into what completes it.
     */
    static List<String> operands(String usage, int nameWords, boolean running) {
        String text = usage.replaceAll("\\(.*$", "").replaceAll("\\[-[^\\]]*\\]", " ").replace("[OPTIONS]", " ").trim();
        String[] words = text.split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = nameWords; i < words.length; i++) {
            String w = words[i];
            if (w.equals("--") || w.equals("...")) {
                if (w.equals("...") && !out.isEmpty()) repeatLast(out);
                continue;
            }
            boolean repeat = w.endsWith("...");
            String bare = w.replace("[", "").replace("]", "").replace("...", "");
            String head = bare.split("[:@|/]", 2)[0];
            String kind = switch (head) {
                case "CONTAINER" -> running ? ":running" : ":containers";
                case "IMAGE", "SOURCE_IMAGE" -> ":images";
                case "NETWORK" -> ":networks";
                case "VOLUME" -> ":volumes";
                default -> bare.matches("[a-z][a-z0-9|-]*\\|[a-z0-9|-]+") ? bare : "-";
            };
            // "CONTAINER [CONTAINER...]": the second is the first again, repeated
            if (repeat && !out.isEmpty() && out.get(out.size() - 1).equals(kind)) repeatLast(out);
            else {
                out.add(kind);
                if (repeat) repeatLast(out);
            }
        }
        return out;
    }

    private static void repeatLast(List<String> out) {
        String last = out.get(out.size() - 1);
        if (!last.endsWith("+")) out.set(out.size() - 1, last + "+");
    }
}
