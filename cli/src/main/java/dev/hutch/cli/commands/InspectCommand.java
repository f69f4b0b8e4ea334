package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Views;
import dev.hutch.json.Json;

import java.util.ArrayList;
import java.util.List;

/** hutch inspect: the container's record as JSON (a list, as docker prints it). */
public final class InspectCommand implements Command {
    public String name() { return "inspect"; }
    public String summary() { return "Return low-level information on containers"; }
    public String usage() { return "inspect [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() { return new Flags(name()).value("format", "f", "Print one field, e.g. {{.State.ExitCode}} or json"); }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().isEmpty()) throw new HutchException("\"hutch inspect\" requires at least 1 argument");
        List<Object> out = new ArrayList<>();
        int rc = 0;
        for (String ref : a.positional()) {
            try {
                out.add(Views.inspect(ctx.engine().inspect(ref), ctx.engine()));
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                rc = 1;
            }
        }
        String format = a.value("format");
        if (format != null && !format.equals("json")) {
            for (Object o : out) ctx.out().println(Views.template(format, o));
        } else {
            ctx.out().println(Json.pretty(out));
        }
        return rc;
    }
}
