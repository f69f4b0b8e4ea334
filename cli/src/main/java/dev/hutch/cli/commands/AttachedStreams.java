package dev.hutch.cli.commands;

import dev.hutch.HutchException;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** docker run's -a/--attach: which of stdin, stdout and stderr a foreground run attaches (all when none is given). */
final class AttachedStreams {
    private static final Set<String> ALL = Set.of("stdin", "stdout", "stderr");

    private AttachedStreams() {}

    /** The streams NOT attached: none without -a. */
    static Set<String> notAttached(List<String> values) {
        if (values.isEmpty()) return Set.of();
        Set<String> quiet = new TreeSet<>(ALL);
        for (String v : values) {
            String s = v.toLowerCase(Locale.ROOT);
            if (!ALL.contains(s))
                throw new HutchException("invalid argument \"" + v + "\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
            quiet.remove(s);
        }
        return quiet;
    }
}
