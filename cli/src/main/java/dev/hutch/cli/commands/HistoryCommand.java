package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.image.ImageViews;
import dev.hutch.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** hutch history: the steps that made an image, newest first, with the size each layer adds. */
public final class HistoryCommand implements Command {
    public String name() { return "history"; }
    public String summary() { return "Show the history of an image"; }
    public String usage() { return "history [OPTIONS] IMAGE"; }

    public Flags flags() {
        return new Flags(name()).bool("quiet", "q", "Only show image IDs")
                .bool("no-trunc", null, "Don't truncate output")
                .value("format", null, "json, or a template like {{.CreatedBy}}");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) throw new HutchException("\"hutch history\" requires exactly 1 argument: IMAGE");
        boolean full = a.bool("no-trunc");
        String format = a.value("format");
        Table t = new Table("IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT");
        for (ImageViews.HistoryRow h : new ImageViews(ImageStores.of(ctx)).history(a.positional().get(0))) {
            Map<String, Object> r = row(h, full);
            if (a.bool("quiet")) ctx.out().println(r.get("ID"));
            else if (format != null) ctx.out().println(format.equals("json") ? Json.write(r) : Views.template(format, r));
            else t.row(r.get("ID"), r.get("CreatedSince"), r.get("CreatedBy"), r.get("Size"), r.get("Comment"));
        }
        if (!a.bool("quiet") && format == null) t.print(ctx.out());
        return 0;
    }

    /** docker's `history --format json` keys. */
    private static Map<String, Object> row(ImageViews.HistoryRow h, boolean full) {
        String by = h.createdBy() == null ? "" : h.createdBy();
        if (!full && by.length() > 45) by = by.substring(0, 44) + "…";
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", full || h.imageId().startsWith("<") ? h.imageId() : ImageStores.shortId(h.imageId()));
        m.put("CreatedAt", h.created().toString());
        m.put("CreatedSince", Views.human(Duration.between(h.created(), Instant.now())) + " ago");
        m.put("CreatedBy", by);
        m.put("Size", ImageStores.humanSize(h.size()));
        m.put("Comment", h.comment() == null ? "" : h.comment());
        return m;
    }
}
