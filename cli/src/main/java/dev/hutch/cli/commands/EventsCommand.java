package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Views;
import dev.hutch.events.Event;
import dev.hutch.events.EventFilter;
import dev.hutch.events.EventJournal;
import dev.hutch.events.EventStream;
import dev.hutch.json.Json;

import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;

/**
 * hutch events: what hutch did to containers, images, networks and volumes, read from the event
 * journal every hutch process appends to (docs/events.md). Without --until it follows the
 * journal until interrupted, as docker's does.
 */
public final class EventsCommand implements Command {
    public String name() { return "events"; }
    public String summary() { return "Get real time events from the engine"; }
    public String usage() { return "events [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name())
                .value("since", null, "Show events since a timestamp (RFC 3339, Unix seconds) or relative (e.g. 42m)")
                .value("until", null, "Stream events until this timestamp (RFC 3339, Unix seconds) or relative (e.g. 42m)")
                .value("filter", "f", "Filter output: type=, event=, container=, image=, network=, volume=, label= (repeatable)")
                .value("format", null, "json, or a template like {{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
    }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        EventFilter filter = EventFilter.parse(a.values("filter")); // bad filters: refused before anything is read
        Instant now = Instant.now();
        Long since = a.has("since") ? nanos(LogsCommand.time("--since", a.value("since"), now)) : null;
        Long until = a.has("until") ? nanos(LogsCommand.time("--until", a.value("until"), now)) : null;
        String format = a.value("format");
        EventJournal journal = EventJournal.under(ctx.config().runRoot(), ctx.env());
        EventStream.run(journal, since, until, filter, e -> {
            ctx.out().println(format == null ? line(e) : format.equals("json") ? Json.write(e.toDockerMessage())
                    : Views.template(format, e.toDockerMessage()));
            ctx.out().flush();
        }, () -> ctx.out().checkError() || Thread.currentThread().isInterrupted()); // the reader went away
        return 0;
    }

    private static long nanos(Instant t) { return t.getEpochSecond() * 1_000_000_000L + t.getNano(); }

    /** docker's line: TIME TYPE ACTION ID (key=value, ...). */
    static String line(Event e) {
        StringJoiner attrs = new StringJoiner(", ", " (", ")");
        attrs.setEmptyValue("");
        for (Map.Entry<String, String> kv : e.sortedAttributes().entrySet()) attrs.add(kv.getKey() + "=" + kv.getValue());
        Instant t = Instant.ofEpochSecond(0, e.timeNano());
        return t + " " + e.type() + " " + e.action() + " " + e.id() + attrs;
    }
}
