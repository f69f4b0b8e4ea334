package dev.hutch.cli.oci;

import dev.hutch.HutchException;
import dev.hutch.cli.Invocation;
import dev.hutch.cli.Version;
import dev.hutch.config.EngineConfig;
import dev.hutch.oci.OciHost;
import dev.hutch.oci.OciStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code hutch oci ...} (also {@code hutch-runc ...}): runc's command line over hutch's engine, for
 * callers that drive an OCI runtime binary (podman through conmon, containerd's shim). Global
 * flags come before the verb, as runc's. Exit status 1 on a failure of the runtime, as runc's;
 * {@code run} and a foreground {@code exec} exit with the container process's status.
 * Nothing but a verb's own output goes to stdout: after {@code create} it is the container's.
 */
public final class OciMain {
    /** The runtime-spec version hutch's config reading follows. */
    public static final String SPEC_VERSION = dev.hutch.oci.OciStateJson.SPEC_VERSION;
    static final int FAILURE = 1;

    private OciMain() {}

    /**
     * The verbs whose processes the caller must get as children (create's init, run's, exec's
     * process): they run in a JVM of their own. The others only read and signal what exists, and may
     * be served by the warm engine service (podman calls {@code state} often; each cold JVM costs
     * hundreds of ms).
     */
    public static final java.util.Set<String> OWN_PROCESS_VERBS = java.util.Set.of("create", "run", "exec");

    /** Global flags that take a value as the next word when written without "=". */
    private static final java.util.Set<String> VALUE_FLAGS = java.util.Set.of("root", "log", "log-format", "rootless", "criu");

    /** The verb after runc's global flags, or null when there is none. */
    public static String verb(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("-")) return a;
            String name = a.replaceFirst("^--?", "");
            if (!name.contains("=") && VALUE_FLAGS.contains(name)) i++;
        }
        return null;
    }

    public static int run(List<String> argv, Invocation inv, EngineConfig config) {
        PrintStream err = inv.err();
        List<String> args = new ArrayList<>(argv);
        // HUTCH_OCI_ROOT: for callers that cannot pass --root to every call (podman's exit command)
        String envRoot = inv.env().get("HUTCH_OCI_ROOT");
        Path root = envRoot == null || envRoot.isEmpty() ? OciStore.DEFAULT_ROOT : Path.of(envRoot);
        Path logFile = null;
        boolean json = false, debug = false;
        OciLog log = new OciLog(null, false, false, err);
        try {
            while (!args.isEmpty() && args.get(0).startsWith("-")) {
                String a = args.remove(0);
                String name = a.replaceFirst("^--?", ""), value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                switch (name) {
                    case "root" -> root = inv.cwd().resolve(value != null ? value : need(args, a));
                    case "log" -> logFile = inv.cwd().resolve(value != null ? value : need(args, a));
                    case "log-format" -> {
                        String f = value != null ? value : need(args, a);
                        if (!f.equals("json") && !f.equals("text"))
                            throw new HutchException("invalid log-format: " + f + " (json or text)");
                        json = f.equals("json");
                    }
                    case "debug" -> debug = value == null || value.equals("true");
                    case "systemd-cgroup" -> {
                        if (value == null || value.equals("true"))
                            throw new HutchException("--systemd-cgroup is not supported: hutch manages cgroupfs itself, "
                                    + "under its own parent (use the cgroupfs manager, e.g. podman --cgroup-manager=cgroupfs)");
                    }
                    case "rootless" -> {
                        String v = value != null ? value : need(args, a);
                        if (v.equals("true")) throw new HutchException("--rootless true is not supported: hutch's OCI runtime runs as root");
                    }
                    case "criu" -> { if (value == null) need(args, a); } // checkpointing is not offered; the path is moot
                    case "version", "v" -> {
                        inv.out().print("hutch-runc version " + Version.get() + "\ncommit: " + Version.get() + "\nspec: " + SPEC_VERSION + "\n");
                        return 0;
                    }
                    case "help", "h" -> {
                        inv.out().print(OciCommands.HELP);
                        return 0;
                    }
                    default -> throw new HutchException("flag provided but not defined: " + a);
                }
            }
            log = new OciLog(logFile, json, debug, err);
            if (args.isEmpty()) {
                inv.out().print(OciCommands.HELP);
                return 0;
            }
            String verb = args.remove(0);
            log.debug("hutch oci " + verb + " " + String.join(" ", args));
            OciHost host = new OciHost(new OciStore(root), config);
            return new OciCommands(host, inv, log).run(verb, args);
        } catch (HutchException e) {
            log.error(e.getMessage());
            if (debug) e.printStackTrace(err);
            return FAILURE;
        } catch (Exception e) {
            log.error("internal error: " + e);
            if (debug) e.printStackTrace(err);
            return FAILURE;
        }
    }

    private static String need(List<String> args, String flag) {
        if (args.isEmpty()) throw new HutchException("flag needs an argument: " + flag);
        return args.remove(0);
    }
}
