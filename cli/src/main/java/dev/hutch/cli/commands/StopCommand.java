package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.time.Duration;

/** hutch stop: SIGTERM, then SIGKILL after --time seconds (default 10, as docker). */
public final class StopCommand implements Command {
    public String name() { return "stop"; }
    public String summary() { return "Stop one or more running containers"; }
    public String usage() { return "stop [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).value("time", "t", "Seconds to wait before killing the container (default 10)")
                .value("signal", "s", "Signal to send first (default SIGTERM)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        int seconds = a.intValue("time", 10);
        return Each.container(ctx, a, name(), ref -> ctx.engine().stop(ref, Duration.ofSeconds(Math.max(0, seconds))));
    }
}
