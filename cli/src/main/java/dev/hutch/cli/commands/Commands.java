package dev.hutch.cli.commands;

import dev.hutch.cli.Command;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every verb, by name. Commands are made only when asked for, so {@code hutch run} loads the
 * classes of run and nothing else.
 */
public final class Commands {
    private static final Map<String, Supplier<Command>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("run", RunCommand::new);
        ALL.put("create", CreateCommand::new);
        ALL.put("start", StartCommand::new);
        ALL.put("restart", RestartCommand::new);
        ALL.put("ps", PsCommand::new);
        ALL.put("logs", LogsCommand::new);
        ALL.put("stop", StopCommand::new);
        ALL.put("kill", KillCommand::new);
        ALL.put("rm", RmCommand::new);
        ALL.put("inspect", InspectCommand::new);
        ALL.put("wait", WaitCommand::new);
        ALL.put("port", PortCommand::new);
        ALL.put("rename", RenameCommand::new);
        ALL.put("diff", DiffCommand::new);
        ALL.put("top", TopCommand::new);
        ALL.put("exec", ExecCommand::new);
        ALL.put("stats", StatsCommand::new);
        ALL.put("update", UpdateCommand::new);
        ALL.put("pause", PauseCommand::new);
        ALL.put("unpause", UnpauseCommand::new);
        ALL.put("bench", BenchCommand::new);
        ALL.put("script", ScriptCommand::new);
        ALL.put("build", BuildCommand::new);
        ALL.put("shell", ShellCommand::new);
        ALL.put("test", TestCommand::new);
        ALL.put("network", NetworkCommand::new);
        ALL.put("netns", NetnsCommand::new);
        ALL.put("debug", DebugCommand::new);
        ALL.put("images", ImagesCommand::new);
        ALL.put("rmi", RmiCommand::new);
        ALL.put("tag", TagCommand::new);
        ALL.put("history", HistoryCommand::new);
        ALL.put("image", ImageCommand::new);
        ALL.put("commit", CommitCommand::new);
        ALL.put("export", ExportCommand::new);
        ALL.put("cp", CpCommand::new);
        ALL.put("attach", AttachCommand::new);
        ALL.put("import", ImportCommand::new);
        ALL.put("save", SaveCommand::new);
        ALL.put("load", LoadCommand::new);
        ALL.put("pull", PullCommand::new);
        ALL.put("push", PushCommand::new);
        ALL.put("login", LoginCommand::new);
        ALL.put("logout", LogoutCommand::new);
        ALL.put("volume", VolumeCommand::new);
        ALL.put("engine", EngineCommand::new);
        ALL.put("version", VersionCommand::new);
        ALL.put("info", InfoCommand::new);
        ALL.put("events", EventsCommand::new);
        ALL.put("system", SystemCommand::new);
        ALL.put("completion", CompletionCommand::new);
    }

    /** Verbs that work but are neither in help nor in docs/cli.md (the completion scripts' own). */
    /** Verbs hutch runs itself, not listed in help or the docs: completion scripts and monitors call them. */
    private static final Map<String, Supplier<Command>> HIDDEN = Map.of(
            CompleteNamesCommand.NAME, CompleteNamesCommand::new,
            dev.hutch.engine.Engine.AFTER_EXIT_VERB, ContainerExitedCommand::new);

    private Commands() {}

    public static Command find(String name) {
        Supplier<Command> s = ALL.containsKey(name) ? ALL.get(name) : HIDDEN.get(name);
        return s == null ? null : s.get();
    }

    /** For commands that other parts of hutch add (network, images, stats ...). */
    public static void register(String name, Supplier<Command> command) { ALL.put(name, command); }

    public static List<String> names() { return List.copyOf(ALL.keySet()); }

    public static void printHelp(PrintStream out) {
        out.println("Usage:  hutch [OPTIONS] COMMAND\n\nA container and sandbox engine: namespaces, cgroups, overlay layers, veth wiring.\n");
        out.println("Options:\n  --run-root DIR    runtime state (default /var/run/hutch, env HUTCH_RUN_ROOT)");
        out.println("  --lib-root DIR    images, layers, volumes, logs (default /var/lib/hutch, env HUTCH_LIB_ROOT)");
        out.println("  --debug           show stack traces\n\nCommands:");
        for (String n : ALL.keySet()) out.printf("  %-10s %s%n", n, ALL.get(n).get().summary());
        out.printf("  %-10s %s%n", "oci", "runc's command line for podman, containerd... (also as hutch-runc; hutch oci --help, docs/oci.md)");
        out.println("\nRun 'hutch COMMAND --help' for more information on a command.");
    }
}
