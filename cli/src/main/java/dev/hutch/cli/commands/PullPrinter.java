package dev.hutch.cli.commands;

import dev.hutch.registry.PullListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker's pull output, and push's (the same block of layer lines, with "Pushing" for the bytes). On a terminal one line per layer, redrawn in place ("abc123: Downloading
 * 1.2MB/3.4MB"); otherwise a plain line for each state change, never a carriage return.
 * Threads of the pull call it at once, so every method holds the lock.
 */
final class PullPrinter implements PullListener {
    private static final long REDRAW_NANOS = 200_000_000;
    private final PrintStream out;
    private final boolean terminal;
    private final boolean quiet;
    private final String moving;
    private final Map<String, String> lines = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    PullPrinter(PrintStream out, boolean terminal, boolean quiet) { this(out, terminal, quiet, "Downloading"); }

    /** {@code moving}: the status shown with the bytes ("Downloading", "Pushing"), never printed as a plain line. */
    PullPrinter(PrintStream out, boolean terminal, boolean quiet, String moving) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
        this.moving = moving;
    }

    /** A line below the layer block (null: only close the block). */
    synchronized void line(String text) {
        if (quiet) return;
        finishLayers();
        if (text == null) return;
        out.println(text);
        out.flush();
    }

    @Override
    public synchronized void layer(String shortId, String status) {
        if (quiet) return;
        lines.put(shortId, status);
        if (terminal) redraw(true);
        else if (!status.equals(moving) && !status.equals("Extracting")) {
            out.println(shortId + ": " + status);
            out.flush();
        }
    }

    @Override
    public synchronized void bytes(String shortId, long done, long total) {
        if (quiet || !terminal) return;
        lines.put(shortId, moving + " " + ImageStores.humanSize(done) + (total > 0 ? "/" + ImageStores.humanSize(total) : ""));
        redraw(false);
    }

    /** Moves the cursor up over the layer lines and writes them again (ANSI, as docker does). */
    private void redraw(boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) sb.append("\033[").append(drawn).append('A');
        List<Map.Entry<String, String>> all = new ArrayList<>(lines.entrySet());
        for (Map.Entry<String, String> e : all) sb.append("\r\033[2K").append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        drawn = all.size();
        out.print(sb);
        out.flush();
    }

    /** The layer block is done: later lines go below it. */
    private void finishLayers() {
        if (terminal && !lines.isEmpty()) redraw(true);
        lines.clear();
        drawn = 0;
    }
}
