package dev.hutch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One sub-verb of a management command ({@code network rm}, {@code image ls}): its name, its usage
 * line and its own flags, as the command parses them. Shell completion reads these; the command
 * itself keeps dispatching as it always did.
 */
public record Subcommand(String name, String usage, Flags flags) {

    /**
     * The sub-verbs of a command whose usage is one line per sub-verb joined by "\nhutch "
     * (network, volume, system, engine): each gets the line that starts with "VERB SUB".
     */
    public static List<Subcommand> fromUsageLines(String verb, String usage, List<String> names, Function<String, Flags> flagsOf) {
        List<Subcommand> out = new ArrayList<>();
        String[] lines = usage.split("\nhutch ");
        for (String name : names) {
            String line = verb + " " + name;
            for (String l : lines) if (l.equals(line) || l.startsWith(line + " ")) { line = l; break; }
            out.add(new Subcommand(name, line, flagsOf.apply(name)));
        }
        return out;
    }
}
