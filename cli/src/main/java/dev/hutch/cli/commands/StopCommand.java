package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;

import java.time.Duration;

/**
 * hutch stop: the container's stop signal (--stop-signal, the image's StopSignal, else SIGTERM), then
 * SIGKILL after --time seconds (else the container's --stop-timeout, else 10, as docker; -1 waits for ever).
 */
public final class StopCommand implements Command {
    public String name() { return "stop"; }
    public String summary() { return "Stop one or more running containers"; }
    public String usage() { return "stop [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).value("time", "t", "Seconds to wait before killing the container (default: its --stop-timeout, else 10; -1 for ever)")
                .value("signal", "s", "Signal to send first (default: its --stop-signal, the image's StopSignal, else SIGTERM)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        // Not given: the container's own --stop-timeout and --stop-signal (or the image's StopSignal), else 10 s and SIGTERM
        Duration timeout = a.has("time") ? Duration.ofSeconds(a.intValue("time", 10)) : null;
        String signal = a.value("signal");
        if (signal != null) dev.hutch.runtime.Signals.parse(signal); // refused before any container is touched
        return Each.container(ctx, a, name(), ref -> ctx.engine().stop(ref, timeout, signal));
    }
}
