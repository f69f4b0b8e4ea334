package dev.hutch.spec;

import java.util.List;

/**
 * {@code hutch exec [-i] [-t] [-e K=V] [-w DIR] [-u USER] NAME CMD...}: a command to run in a
 * running container, joining all its namespaces and its cgroup.
 *
 * @param env     added to the container's environment
 * @param workdir null for the container's working directory
 * @param user    null for the container's user
 */
public record ExecSpec(List<String> command, List<String> env, String workdir, String user, boolean tty,
                       boolean interactive) {
    public ExecSpec {
        command = List.copyOf(command);
        env = List.copyOf(env == null ? List.of() : env);
    }

    public static ExecSpec of(String... command) { return new ExecSpec(List.of(command), List.of(), null, null, false, false); }
}
