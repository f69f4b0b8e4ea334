package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.time.Duration;

/** hutch restart: stop (SIGTERM, SIGKILL after --time) if it runs, then start it again, detached. */
public final class RestartCommand implements Command {
    public String name() { return "restart"; }
    public String summary() { return "Restart one or more containers"; }
    public String usage() { return "restart [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).value("time", "t", "Seconds to wait before killing the container (default: its --stop-timeout, else 10)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        // as stop: not given, the container's own --stop-timeout (else 10 s) and its stop signal
        Duration timeout = a.has("time") ? Duration.ofSeconds(Math.max(0, a.intValue("time", 10))) : null;
        return Each.container(ctx, a, name(), ref -> {
            ctx.engine().restart(ref, timeout);
            return ref;
        });
    }
}
