package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Table;
import dev.hutch.cli.Views;
import dev.hutch.cli.filter.FilterArgs;
import dev.hutch.cli.filter.ImageFilter;
import dev.hutch.image.ImageSummary;
import dev.hutch.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** hutch images: one row per tag (untagged images as &lt;none&gt;), newest first. */
public final class ImagesCommand implements Command {
    public String name() { return "images"; }
    public String summary() { return "List images"; }
    public String usage() { return "images [OPTIONS] [REPOSITORY[:TAG]]"; }

    public Flags flags() {
        return new Flags(name()).bool("all", "a", "Show all images (hutch keeps no intermediate images, so the same list)")
                .bool("quiet", "q", "Only show image IDs")
                .bool("no-trunc", null, "Don't truncate output")
                .value("filter", "f", "Filter output: dangling=true|false, reference=PATTERN (a glob on REPO[:TAG]), "
                        + "before=IMAGE, since=IMAGE, label=KEY[=VALUE] (repeatable)")
                .value("format", null, "json, or a template like {{.Repository}}:{{.Tag}}");
    }

    public int run(Context ctx, Flags.Parsed a) {
        String filter = a.positional().isEmpty() ? null : a.positional().get(0);
        List<Map<String, Object>> rows = new ArrayList<>();
        Instant now = Instant.now();
        ImageFilter filters = new ImageFilter(FilterArgs.fromFlags(a.values("filter")));
        for (ImageFilter.Selected sel : filters.select(ImageStores.of(ctx))) {
            ImageSummary s = sel.summary();
            List<String> tags = sel.tags().isEmpty() ? List.of("<none>:<none>") : sel.tags();
            for (String tag : tags) {
                String repo = tag.substring(0, tag.lastIndexOf(':'));
                if (filter == null || filter.equals(repo) || filter.equals(tag)) rows.add(row(s, repo, tag, now, a.bool("no-trunc")));
            }
        }
        String format = a.value("format");
        if (a.bool("quiet")) {
            rows.stream().map(r -> r.get("ID")).distinct().forEach(ctx.out()::println);
        } else if (format != null) {
            rows.forEach(r -> ctx.out().println(format.equals("json") ? Json.write(r) : Views.template(format, r)));
        } else {
            Table t = new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            rows.forEach(r -> t.row(r.get("Repository"), r.get("Tag"), r.get("ID"), r.get("CreatedSince"), r.get("Size")));
            t.print(ctx.out());
        }
        return 0;
    }

    /** docker's `images --format json` keys. */
    private static Map<String, Object> row(ImageSummary s, String repo, String tag, Instant now, boolean full) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Repository", repo);
        m.put("Tag", tag.substring(tag.lastIndexOf(':') + 1));
        m.put("ID", full ? s.image().id() : ImageStores.shortId(s.image().id()));
        m.put("CreatedAt", s.created().toString());
        m.put("CreatedSince", Views.human(Duration.between(s.created(), now)) + " ago");
        m.put("Size", ImageStores.humanSize(s.size()));
        return m;
    }
}
