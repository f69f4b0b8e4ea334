package dev.hutch.dsl.container;

import dev.hutch.state.ContainerState;

import java.util.AbstractList;
import java.util.List;

/**
 * What {@code ps()} returns: the containers' states, as a list a script can filter
 * ({@code ps().find { it.name == 'web' }}), printed as a table like {@code hutch ps}.
 */
public final class ContainerTable extends AbstractList<ContainerState> {
    private final List<ContainerState> states;

    public ContainerTable(List<ContainerState> states) { this.states = List.copyOf(states); }

    @Override
    public ContainerState get(int index) { return states.get(index); }

    @Override
    public int size() { return states.size(); }

    public List<String> getNames() { return states.stream().map(ContainerState::name).toList(); }

    @Override
    public String toString() {
        String fmt = "%-12s  %-14s  %-24s  %-8s  %s%n";
        StringBuilder sb = new StringBuilder(String.format(fmt, "CONTAINER ID", "IMAGE", "COMMAND", "STATUS", "NAMES"));
        for (ContainerState s : states) {
            String cmd = String.join(" ", s.command());
            if (cmd.length() > 24) cmd = cmd.substring(0, 23) + "…";
            String status = s.status().label() + (s.exitCode() != null && !s.isRunning() ? " (" + s.exitCode() + ")" : "");
            sb.append(String.format(fmt, s.shortId(), s.spec().image(), cmd, status, s.name()));
        }
        return sb.toString().stripTrailing();
    }
}
