package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Views;
import dev.hutch.image.ImageViews;
import dev.hutch.json.Json;

import java.util.ArrayList;
import java.util.List;

/** hutch image inspect: the image's config and layers in docker's JSON shape (a list). */
public final class ImageInspectCommand implements Command {
    public String name() { return "image inspect"; }
    public String summary() { return "Display detailed information on one or more images"; }
    public String usage() { return "image inspect [OPTIONS] IMAGE [IMAGE...]"; }

    public Flags flags() { return new Flags(name()).value("format", "f", "Print one field, e.g. {{.Config.Cmd}} or json"); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().isEmpty()) throw new HutchException("\"hutch image inspect\" requires at least 1 argument: IMAGE...");
        ImageViews views = new ImageViews(ImageStores.of(ctx));
        List<Object> out = new ArrayList<>();
        int rc = 0;
        for (String ref : a.positional()) {
            try {
                // through JSON and back, so a template sees plain maps and lists (Config is a record)
                out.add(Json.parse(Json.write(views.inspect(ref))));
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        String format = a.value("format");
        if (format != null && !format.equals("json")) out.forEach(o -> ctx.out().println(Views.template(format, o)));
        else ctx.out().println(Json.pretty(out));
        return rc;
    }
}
