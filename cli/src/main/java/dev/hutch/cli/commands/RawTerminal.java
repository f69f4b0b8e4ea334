package dev.hutch.cli.commands;

import java.io.IOException;

/**
 * The caller's terminal in raw mode while attached to a container with a tty (its own pty does
 * the line editing and echo), restored after: through stty on the inherited stdin, as hutch's
 * JVM has no termios of its own.
 */
final class RawTerminal {
    private final String saved;
    private final java.nio.file.Path device;

    private RawTerminal(String saved, java.nio.file.Path device) {
        this.saved = saved;
        this.device = device;
    }

    /** @param device the caller's terminal by path (a request the engine service serves), or null: this JVM's stdin */
    static RawTerminal enter(java.nio.file.Path device) {
        try {
            String saved = stty(device, "-g").trim();
            stty(device, "raw", "-echo");
            return new RawTerminal(saved, device);
        } catch (IOException | InterruptedException e) {
            return null; // not a terminal after all: bytes pass as they are
        }
    }

    void restore() {
        try {
            stty(device, saved);
        } catch (IOException | InterruptedException e) {
            // the terminal went away
        }
    }

    private static String stty(java.nio.file.Path device, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(device == null ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.from(device.toFile())).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IOException("stty " + String.join(" ", args) + " failed");
        return out;
    }
}
