package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.net.netns.NetnsLister;
import dev.hutch.state.ContainerState;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * hutch debug NAME -- CMD: runs a host tool (ss, ip, tcpdump) in only the container's network
 * namespace, as `nsenter -t PID -n` does. The filesystem stays the host's, so the tool need not
 * be in the image. Returns the tool's exit code (nsenter's 126/127 when it cannot run it).
 */
public final class DebugCommand implements Command {
    public String name() { return "debug"; }
    public String summary() { return "Run a host tool inside a container's network namespace only"; }
    public String usage() { return "debug CONTAINER -- COMMAND [ARG...]   (e.g. hutch debug web -- ss -tlnp)"; }

    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    public int run(Context ctx, Flags.Parsed a) throws InterruptedException {
        List<String> pos = new ArrayList<>(a.positional());
        if (pos.isEmpty()) throw new HutchException("\"hutch debug\" requires a container and a command (try: hutch debug web -- ip addr)");
        String ref = pos.remove(0);
        if (!pos.isEmpty() && pos.get(0).equals("--")) pos.remove(0);
        if (pos.isEmpty()) throw new HutchException("hutch debug " + ref + " needs a command after -- (try: hutch debug " + ref + " -- ip addr)");
        ContainerState s = ctx.engine().inspect(ref);
        if (!s.isRunning()) throw new HutchException("cannot debug container " + s.name() + ": it is not running (start it first)");
        // The recorded init pid, never a looked-up one: its namespace is the container's.
        List<String> argv = NetnsLister.debugCommand(s.pid(), pos);
        Process p;
        try {
            p = ctx.children().startAttached(argv);
        } catch (IOException e) {
            throw new HutchException("cannot run " + argv.get(0) + ": " + e.getMessage() + " (install util-linux, which has nsenter)", e);
        }
        // Ctrl-C belongs to the tool (tcpdump prints its summary on SIGINT); wait for its exit code.
        ctx.signals().keepForTheChild();
        ctx.signals().forwardTo(p);
        return p.waitFor();
    }
}
