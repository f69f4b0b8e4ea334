package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.logs.LogEntry;
import dev.hutch.logs.LogReader;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

/**
 * hutch logs: a container's stdout and stderr, each to the matching stream of ours (hutch's own
 * notes in the log, such as bytes lost to a full disk, go to stderr). Streams in constant memory
 * (see LogReader); output is flushed once at the end, or after each batch with --follow.
 */
public final class LogsCommand implements Command {
    public String name() { return "logs"; }
    public String summary() { return "Fetch the logs of a container"; }
    public String usage() { return "logs [OPTIONS] CONTAINER"; }

    public Flags flags() {
        return new Flags(name()).bool("follow", "f", "Follow log output")
                .value("tail", "n", "Number of lines to show from the end of the logs (default all)")
                .bool("timestamps", "t", "Show timestamps")
                .value("since", null, "Show logs since a timestamp (RFC 3339, Unix seconds) or relative (e.g. 42m)")
                .value("until", null, "Show logs before a timestamp (RFC 3339, Unix seconds) or relative (e.g. 42m)");
    }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        if (a.positional().size() != 1) throw new HutchException("\"hutch logs\" requires exactly 1 argument (a container)");
        String ref = a.positional().get(0);
        String tailText = a.value("tail", "all");
        int tail = tailText.equals("all") ? -1 : a.intValue("tail", -1);
        boolean ts = a.bool("timestamps");
        Instant now = Instant.now();
        LogReader.Window window = new LogReader.Window(a.has("since") ? time("--since", a.value("since"), now) : null,
                a.has("until") ? time("--until", a.value("until"), now) : null);
        LogReader reader = ctx.engine().logs(ref);
        // Our own buffers: System.out flushes (a write syscall) at every newline, which made a
        // large log cost one syscall per entry. Flushed at the end, or per batch with -f.
        PrintStream out = new PrintStream(new java.io.BufferedOutputStream(ctx.out(), 1 << 16), false, java.nio.charset.StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.BufferedOutputStream(ctx.err(), 1 << 13), false, java.nio.charset.StandardCharsets.UTF_8);
        Consumer<LogEntry> print = e -> {
            PrintStream s = e.isStderr() || e.isHutch() ? err : out;
            if (ts) {
                s.print(e.time());
                s.print(' ');
            }
            s.print(e.text());
        };
        Runnable flush = () -> {
            out.flush();
            err.flush();
        };
        if (a.bool("follow")) {
            reader.follow(tail, window, print, () -> ctx.engine().isRunning(ref), flush);
        } else if (tail < 0) {
            reader.copy(window, ts, out, err); // bytes to bytes, at disk speed
            flush.run();
        } else {
            reader.emit(tail, window, print);
            flush.run();
        }
        return 0;
    }

    /** docker's forms: RFC 3339 (with or without fraction and zone offset), Unix seconds, or a duration ago (10s, 42m, 2h). */
    static Instant time(String flag, String v, Instant now) {
        try {
            if (v.matches("\\d+(\\.\\d+)?[smh]")) {
                double n = Double.parseDouble(v.substring(0, v.length() - 1));
                long unit = switch (v.charAt(v.length() - 1)) { case 's' -> 1000; case 'm' -> 60_000; default -> 3_600_000; };
                return now.minus(Duration.ofMillis((long) (n * unit)));
            }
            if (v.matches("\\d+(\\.\\d+)?")) {
                String[] p = v.split("\\.");
                long nanos = p.length > 1 ? Long.parseLong((p[1] + "000000000").substring(0, 9)) : 0;
                return Instant.ofEpochSecond(Long.parseLong(p[0]), nanos);
            }
            if (v.matches("\\d{4}-\\d{2}-\\d{2}")) return Instant.parse(v + "T00:00:00Z");
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                return OffsetDateTime.parse(v).toInstant();
            }
        } catch (RuntimeException e) {
            throw new HutchException(flag + ": \"" + v + "\" is not a time (try 2026-11-22T06:29:24Z, 1700000000 or 10m)");
        }
    }
}
