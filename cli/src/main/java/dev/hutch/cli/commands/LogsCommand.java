package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.logs.LogEntry;
import dev.hutch.logs.LogReader;

import java.io.PrintStream;
import java.time.Instant;
import java.util.function.Consumer;

/** hutch logs: a container's stdout and stderr, each to the matching stream of ours. */
public final class LogsCommand implements Command {
    public String name() { return "logs"; }
    public String summary() { return "Fetch the logs of a container"; }
    public String usage() { return "logs [OPTIONS] CONTAINER"; }

    public Flags flags() {
        return new Flags(name()).bool("follow", "f", "Follow log output")
                .value("tail", "n", "Number of lines to show from the end of the logs (default all)")
                .bool("timestamps", "t", "Show timestamps")
                .value("since", null, "Show logs since a timestamp (RFC 3339)");
    }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        if (a.positional().size() != 1) throw new HutchException("\"hutch logs\" requires exactly 1 argument (a container)");
        String ref = a.positional().get(0);
        String tailText = a.value("tail", "all");
        int tail = tailText.equals("all") ? -1 : a.intValue("tail", -1);
        boolean ts = a.bool("timestamps");
        Instant since = a.has("since") ? Instant.parse(a.value("since")) : null;
        LogReader reader = ctx.engine().logs(ref);
        Consumer<LogEntry> print = e -> {
            PrintStream s = e.isStderr() ? ctx.err() : ctx.out();
            s.print(ts ? e.time() + " " + e.text() : e.text());
            s.flush();
        };
        if (a.bool("follow")) {
            reader.follow(tail, print, () -> ctx.engine().isRunning(ref));
        } else {
            reader.read(tail, since).forEach(print);
        }
        return 0;
    }
}
