package dev.hutch.cli.commands;

import java.io.IOException;

/**
 * The caller's terminal in raw mode while attached to a container with a tty (its own pty does
 * the line editing and echo), restored after: through stty on the inherited stdin, as hutch's
 * JVM has no termios of its own.
 */
final class RawTerminal {
    private final String saved;

    private RawTerminal(String saved) { this.saved = saved; }

    static RawTerminal enter() {
        try {
            String saved = stty("-g").trim();
            stty("raw", "-echo");
            return new RawTerminal(saved);
        } catch (IOException | InterruptedException e) {
            return null; // not a terminal after all: bytes pass as they are
        }
    }

    void restore() {
        try {
            stty(saved);
        } catch (IOException | InterruptedException e) {
            // the terminal went away
        }
    }

    private static String stty(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("stty " + String.join(" ", args) + " failed");
        return out;
    }
}
