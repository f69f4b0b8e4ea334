package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.HostPs;
import dev.hutch.state.ContainerState;

import java.util.List;

/**
 * hutch top: the container's processes as the host's ps shows them (default {@code ps -ef}; any
 * ps options after the container), laid out as docker's CLI does (columns at least 20 wide).
 */
public final class TopCommand implements Command {
    public String name() { return "top"; }
    public String summary() { return "Display the running processes of a container"; }
    public String usage() { return "top CONTAINER [ps OPTIONS]"; }

    /** Everything after the container is ps's. */
    public Flags flags() { return new Flags(name()).stopAtFirstPositional(); }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty()) throw new HutchException("\"hutch top\" requires at least 1 argument: CONTAINER [ps OPTIONS]");
        ContainerState s = ctx.engine().inspect(pos.get(0));
        if (!s.isRunning()) throw new HutchException(1, "Container " + s.id() + " is not running", null); // dockerd's words
        HostPs.Listing listing = HostPs.of(ctx.engine().cgroup(s.id()).pids(), pos.subList(1, pos.size()));
        print(ctx, listing);
        return 0;
    }

    /** docker's tabwriter: every column but the last padded to its widest cell + 3, and to 20 at least. */
    private static void print(Context ctx, HostPs.Listing listing) {
        List<List<String>> rows = new java.util.ArrayList<>();
        rows.add(listing.titles());
        rows.addAll(listing.processes());
        int cols = listing.titles().size();
        int[] width = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < r.size() && i < cols - 1; i++) width[i] = Math.max(width[i], r.get(i).length());
        for (List<String> r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                sb.append(cell);
                if (i < r.size() - 1) sb.append(" ".repeat(Math.max(width[i] + 3, 20) - cell.length()));
            }
            ctx.out().println(sb);
        }
    }
}
