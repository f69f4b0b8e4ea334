package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.Subcommand;
import dev.hutch.cli.service.EngineService;
import dev.hutch.cli.service.ServiceControl;

import java.util.List;

/**
 * hutch engine serve|start|status|stop: the warm engine service (docs/engine-service.md). Run
 * through the service, start and status report it live and stop retires it; run in-process (no
 * service answers, or HUTCH_ENGINE=off) they work from its pid file.
 */
public final class EngineCommand implements Command {
    private static final List<String> SUBCOMMANDS = List.of("serve", "start", "status", "stop");

    public String name() { return "engine"; }
    public String summary() { return "Manage the warm engine service (serve, start, status, stop)"; }
    public String usage() {
        return String.join("\nhutch ", "engine serve    (run the service in the foreground; the client starts it)",
                "engine start    (start it if needed, then print its status)",
                "engine status   (pid, uptime, socket, log, requests; exit 1 when not running)",
                "engine stop     (let calls in flight end, up to 10 s, then stop it)");
    }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    @Override
    public List<Subcommand> subcommands() { return Subcommand.fromUsageLines(name(), usage(), SUBCOMMANDS, sub -> new Flags(name() + " " + sub)); }

    public int run(Context ctx, Flags.Parsed a) throws Exception {
        List<String> pos = a.positional();
        if (pos.size() != 1 || !SUBCOMMANDS.contains(pos.get(0)))
            throw new HutchException("\"hutch engine\" needs one command: " + String.join(", ", SUBCOMMANDS) + (pos.isEmpty() ? "" : " (got " + String.join(" ", pos) + ")"));
        EngineService here = EngineService.current();
        ServiceControl control = new ServiceControl(ctx);
        return switch (pos.get(0)) {
            case "serve" -> {
                if (here != null) throw new HutchException("this is the engine service already (pid " + ProcessHandle.current().pid() + ")");
                yield EngineService.fromEnvironment(ctx.env()).serve();
            }
            case "start" -> here != null ? print(ctx, here.status()) : control.start();
            case "status" -> here != null ? print(ctx, here.status()) : control.status();
            case "stop" -> {
                if (here == null) yield control.stop();
                ctx.out().println("hutch engine service: stopping (pid " + ProcessHandle.current().pid() + "); calls in flight get up to 10 s");
                here.stop("hutch engine stop");
                yield 0;
            }
            default -> throw new IllegalStateException(pos.get(0));
        };
    }

    private static int print(Context ctx, String text) {
        ctx.out().print(text);
        return 0;
    }
}
