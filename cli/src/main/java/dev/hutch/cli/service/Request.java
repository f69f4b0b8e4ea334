package dev.hutch.cli.service;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One call of hutch as the client sent it: H (version, with the fds), T, A*, E*, C, U, G.
 * The fds themselves arrive with H; {@link EngineService} takes them from the socket.
 */
public record Request(boolean[] tty, List<String> args, Map<String, String> env, Path cwd, String umask) {
    static final String PROTOCOL = "1";

    /** The umask as bits (022 -> 18), or Invocation.OWN_UMASK when the client sent none or garbage. */
    int umaskBits() {
        try {
            int u = Integer.parseInt(umask == null ? "" : umask.trim(), 8);
            return u >= 0 && u <= 0777 ? u : dev.hutch.cli.Invocation.OWN_UMASK;
        } catch (NumberFormatException e) {
            return dev.hutch.cli.Invocation.OWN_UMASK;
        }
    }

    /** Reads the frames after H up to and including G. */
    static Request readAfterHello(InputStream in) throws IOException {
        boolean[] tty = new boolean[3];
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Path cwd = null;
        String umask = null;
        for (;;) {
            Frame f = Frame.read(in);
            if (f == null) throw new java.io.EOFException("the client closed the connection before its request was complete");
            switch (f.type()) {
                case 'T' -> {
                    String t = f.text();
                    if (t.length() != 3) throw new IOException("bad T frame: " + t);
                    for (int i = 0; i < 3; i++) tty[i] = t.charAt(i) == '1';
                }
                case 'A' -> args.add(f.text());
                case 'E' -> {
                    String e = f.text();
                    int eq = e.indexOf('=');
                    if (eq > 0) env.putIfAbsent(e.substring(0, eq), e.substring(eq + 1)); // first wins, as getenv(3)
                }
                case 'C' -> cwd = Path.of(f.text());
                case 'U' -> umask = f.text();
                case 'G' -> {
                    if (cwd == null || !cwd.isAbsolute()) throw new IOException("the request has no absolute cwd (C frame)");
                    return new Request(tty, List.copyOf(args), env, cwd, umask);
                }
                default -> throw new IOException("unexpected frame '" + f.type() + "' in a request");
            }
        }
    }
}
