package dev.hutch.dsl.shell;

import jline.Terminal;
import jline.UnixTerminal;
import jline.UnsupportedTerminal;
import jline.internal.TerminalLineSettings;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Map;

/**
 * JLine 2 on a terminal named by its device rather than this process's {@code /dev/tty}: the
 * engine service has no controlling terminal, its caller's is the pty its stdin is on. JLine's
 * {@link UnixTerminal} drives a device by running {@code stty} with its stdin redirected from
 * the device's path, so a path is all it needs.
 */
final class CallerTerminal {
    private CallerTerminal() {}

    /** The terminal, initialised: no echo, no canonical mode, until {@link #restore}. */
    static Terminal open(Path device, String type) throws IOException {
        Terminal terminal;
        try {
            // as JLine's own factory does for TERM=dumb: a terminal it cannot drive
            terminal = "dumb".equals(type) ? new UnsupportedTerminal() : newUnixTerminal(device.toString(), type);
            terminal.init();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("the terminal " + device + ": " + e.getMessage(), e);
        }
        return terminal;
    }

    /**
     * Puts the settings back as they were before {@link #open}. It runs {@code stty}, whose wait
     * an interrupt would cut short, and an interrupt is how a call ended by a signal or by its
     * client going away unwinds: the restore runs with the flag cleared, then sets it again.
     */
    static void restore(Terminal terminal, Path device) {
        boolean interrupted = Thread.interrupted();
        try {
            terminal.restore();
        } catch (Exception ignored) {
            // the terminal is gone (the caller's session ended): nothing left to restore
        } finally {
            forgetSettings(device.toString());
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static UnixTerminal newUnixTerminal(String device, String type) throws Exception {
        // Each session reads the settings to restore afresh: a pty number is reused by the next
        // terminal opened, whose settings may differ from those of the last session on it.
        forgetSettings(device);
        return new UnixTerminal(device, type);
    }

    /**
     * JLine keeps one {@link TerminalLineSettings} per device path for the life of the process,
     * with the settings ({@code stty -g}) it read first; a long-lived service must not restore a
     * later terminal to an earlier one's settings, nor keep one entry per pty ever seen.
     */
    private static void forgetSettings(String device) {
        synchronized (TerminalLineSettings.class) { // getSettings is static synchronized
            try {
                Field f = TerminalLineSettings.class.getDeclaredField("SETTINGS");
                f.setAccessible(true);
                ((Map<?, ?>) f.get(null)).remove(device);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // another JLine: its cache, if any, stays (a settings read once per device)
            }
        }
    }
}
