package dev.hutch.cli;

import sun.misc.Signal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Signals during a foreground run. The helper's monitor is in our process group, so Ctrl-C from
 * the terminal reaches it directly and it forwards it to the container; this JVM must then not
 * die of it, but keep waiting for the container's exit code (docker's sig-proxy behaviour).
 * A handler (not SIG_IGN) is installed so the disposition is not inherited by the helper.
 */
public final class Terminal {
    private Terminal() {}

    /** Whether this process's fd is a terminal: /proc tells without a native call. */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public static void keepSignalsForTheContainer() {
        for (String sig : new String[] {"INT", "QUIT"}) {
            try {
                Signal.handle(new Signal(sig), s -> { /* the monitor forwards it to the container */ });
            } catch (IllegalArgumentException ignored) {
                // signal in use by the JVM: leave it
            }
        }
    }

    /** SIGINT to the handler; when it declines, the JVM ends as SIGINT would have ended it (130, after the shutdown hooks). */
    public static void onInterrupt(java.util.function.BooleanSupplier handler) {
        try {
            Signal.handle(new Signal("INT"), s -> {
                if (!handler.getAsBoolean()) System.exit(130);
            });
        } catch (IllegalArgumentException ignored) {
            // signal in use by the JVM: leave it
        }
    }

    /** SIGWINCH to the handler (the JVM ignores it otherwise). */
    public static void onWindowChange(Runnable handler) {
        try {
            Signal.handle(new Signal("WINCH"), s -> handler.run());
        } catch (IllegalArgumentException ignored) {
            // signal in use by the JVM: leave it
        }
    }

    /** A SIGTERM or SIGHUP sent to hutch itself goes to the monitor, which passes it on to the container. */
    public static void forwardTerminationTo(Process monitor) {
        for (String sig : new String[] {"TERM", "HUP"}) {
            try {
                Signal.handle(new Signal(sig), s -> monitor.destroy());
            } catch (IllegalArgumentException ignored) {
                // leave the JVM's own handling
            }
        }
    }
}
