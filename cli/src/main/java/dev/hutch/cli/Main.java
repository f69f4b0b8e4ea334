package dev.hutch.cli;

import dev.hutch.HutchException;
import dev.hutch.cli.commands.Commands;
import dev.hutch.config.EngineConfig;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hutch command line. Global options come before the verb:
 * {@code hutch [--run-root DIR] [--lib-root DIR] [--debug] COMMAND [OPTIONS] ...}.
 * Exit codes follow docker: 125 when hutch failed, else what the command says.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int rc = run(Arrays.asList(args), Invocation.inProcess());
        System.out.flush();
        System.exit(rc);
    }

    /** In-process with captured output (tests): this JVM's env, cwd and stdin. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, Invocation.inProcess().withOutput(out, err));
    }

    /**
     * One call of hutch: the CLI as a function of (argv, the caller's env, cwd, stdio, signals) to
     * an exit code. Never exits the JVM, never touches this process's own stdio or environment.
     */
    public static int run(List<String> argv, Invocation inv) {
        PrintStream out = inv.out(), err = inv.err();
        boolean debug = false;
        EngineConfig config = EngineConfig.fromEnvironment(inv.env());
        List<String> args = new ArrayList<>(argv);
        try {
            while (!args.isEmpty() && args.get(0).startsWith("-")) {
                String a = args.remove(0);
                switch (a) {
                    case "--debug", "-D" -> debug = true;
                    case "--run-root" -> config = config.withRunRoot(Context.resolve(inv.cwd(), need(args, a)));
                    case "--lib-root" -> config = config.withLibRoot(Context.resolve(inv.cwd(), need(args, a)));
                    case "--cgroup-parent" -> config = config.withCgroupParent(need(args, a));
                    case "--help", "-h" -> { Commands.printHelp(out); return 0; }
                    case "--version", "-v" -> { out.println("hutch version " + Version.get()); return 0; }
                    default -> throw new HutchException("unknown flag: " + a + "\nSee 'hutch --help'.");
                }
            }
            if (args.isEmpty()) { Commands.printHelp(err); return HutchException.ENGINE_FAILURE; }
            String verb = args.remove(0);
            if (verb.equals("oci")) return oci(args, inv, config);
            if (verb.endsWith(".groovy")) { args.add(0, verb); verb = "script"; }
            Command cmd = Commands.find(verb);
            if (cmd == null) throw new HutchException("'" + verb + "' is not a hutch command.\nSee 'hutch --help'.");
            if (args.contains("--help") && (args.indexOf("--help") < firstPositional(args))) {
                out.println("Usage:  hutch " + cmd.usage() + "\n\n" + cmd.summary() + "\n\nOptions:\n" + cmd.flags().help());
                return 0;
            }
            dev.hutch.util.Trace.mark("cli: command found");
            Flags.Parsed parsed = cmd.flags().parse(args);
            if (!verb.equals("completion")) RootCheck.require(verb); // printing a script needs no root
            Context ctx = new Context(config, c -> Engines.forHost(c, inv.children()).exitCommand(() -> selfCommand(c)), inv);
            return cmd.run(ctx, parsed);
        } catch (HutchException e) {
            err.println("hutch: " + e.getMessage());
            if (debug) e.printStackTrace(err);
            return e.exitCode();
        } catch (UncheckedIOException e) {
            err.println("hutch: " + e.getMessage());
            if (debug) e.printStackTrace(err);
            return HutchException.ENGINE_FAILURE;
        } catch (Exception e) {
            err.println("hutch: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
            if (debug) e.printStackTrace(err);
            return HutchException.ENGINE_FAILURE;
        }
    }

    /**
     * This CLI's own command line with the engine's roots, for a monitor to run as its exit
     * command (a detached --rm container removes itself through it). The environment (HUTCH_*
     * variables) reaches it through the monitor, which inherits ours.
     */
    public static List<String> selfCommand(EngineConfig c) {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of("--run-root", c.runRoot().toString(), "--lib-root", c.libRoot().toString(), "--cgroup-parent", c.cgroupParent()));
        return cmd;
    }

    /** The java command line that runs this CLI (the JVM, its options that matter, the classpath, Main). */
    public static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData"));
        for (String p : List.of("jna.boot.library.path", "jna.nosys")) {
            String v = System.getProperty(p);
            if (v != null) cmd.add("-D" + p + "=" + v);
        }
        cmd.addAll(List.of("-cp", absoluteClassPath(), Main.class.getName()));
        return cmd;
    }

    /** This JVM's classpath with absolute entries: the command may run in another directory (the service runs in /). */
    private static String absoluteClassPath() {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * runc's command line (docs/oci.md). create, run and exec only in a process of its own: the
     * container's processes are left to this process's caller, and the engine service is nobody's
     * caller. The other verbs may come through the service.
     */
    private static int oci(List<String> args, Invocation inv, EngineConfig config) {
        String ociVerb = dev.hutch.cli.oci.OciMain.verb(args);
        if (inv.children() != dev.hutch.runtime.ChildStdio.inherited() && ociVerb != null
                && dev.hutch.cli.oci.OciMain.OWN_PROCESS_VERBS.contains(ociVerb))
            throw new HutchException("hutch oci " + ociVerb + " runs in a process of its own, not in the engine service: run it with "
                    + "HUTCH_ENGINE=off (the hutch-runc name does)");
        RootCheck.require("oci");
        return dev.hutch.cli.oci.OciMain.run(args, inv, config);
    }

    private static int firstPositional(List<String> args) {
        for (int i = 0; i < args.size(); i++) if (!args.get(i).startsWith("-")) return i;
        return args.size();
    }

    private static String need(List<String> args, String flag) {
        if (args.isEmpty()) throw new HutchException("flag needs an argument: " + flag);
        return args.remove(0);
    }
}
