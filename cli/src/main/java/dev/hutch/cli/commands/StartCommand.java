package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.engine.Started;

import java.util.ArrayList;
import java.util.List;

/**
 * hutch start: run created or stopped containers again, keeping their id, name, writable layer
 * and log. A running one is left alone (as docker). With -a, one container in the foreground:
 * its output here and its exit code as hutch's; with a -it container the detach keys leave it running.
 */
public final class StartCommand implements Command {
    public String name() { return "start"; }
    public String summary() { return "Start one or more stopped containers"; }
    public String usage() { return "start [OPTIONS] CONTAINER [CONTAINER...]"; }

    public Flags flags() {
        return new Flags(name()).bool("attach", "a", "Attach STDOUT/STDERR and forward signals")
                .bool("interactive", "i", "Attach container's STDIN (as it was created: with -i)")
                .value("detach-keys", null, "Override the key sequence for detaching a container (default \"ctrl-p,ctrl-q\"; acts with -a on a -it container)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> refs = a.positional();
        if (refs.isEmpty()) throw new HutchException("\"hutch start\" requires at least 1 argument (a container name or id)");
        boolean attach = a.bool("attach") || a.bool("interactive");
        DetachKeys keys = DetachKeys.parse(a.value("detach-keys", DetachKeys.DEFAULT));
        if (attach && refs.size() > 1)
            throw new HutchException(1, "you cannot start and attach multiple containers at once (start them one by one with -a,"
                    + " or without -a)", null);
        if (attach) return startAttached(ctx, refs, keys);
        List<String> failed = new ArrayList<>();
        for (String ref : refs) {
            try {
                ctx.engine().start(ref, true);
                ctx.out().println(ref);
            } catch (HutchException e) {
                ctx.err().println("Error: " + e.getMessage());
                failed.add(ref);
            }
        }
        if (failed.isEmpty()) return 0;
        ctx.err().println("Error: failed to start containers: " + String.join(", ", failed));
        return 1;
    }

    private static int startAttached(Context ctx, List<String> refs, DetachKeys keys) {
        String ref = refs.get(0);
        if (ctx.engine().isRunning(ref))
            throw new HutchException(1, "cannot start container " + ref + " attached: it is running already (use `hutch attach " + ref
                    + "`)", null);
        ctx.signals().keepForTheChild();
        Started started = ctx.engine().detachKeys(keys.bytes()).start(ref, false);
        if (started == null) // another start won the race meanwhile
            throw new HutchException(1, "cannot start container " + ref + " attached: it is running already (use `hutch attach " + ref
                    + "`)", null);
        ctx.signals().forwardTo(started.monitor());
        return ctx.engine().waitForExit(started);
    }
}
