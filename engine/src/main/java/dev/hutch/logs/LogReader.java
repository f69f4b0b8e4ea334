package dev.hutch.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Reads a container's log for {@code hutch logs}: all of it, the last N entries, or following it. */
public final class LogReader {
    private final Path file;

    public LogReader(Path file) { this.file = file; }

    /** @param tail how many entries from the end, or -1 for all */
    public List<LogEntry> read(int tail, Instant since) {
        if (!Files.exists(file)) return List.of();
        Deque<LogEntry> out = new ArrayDeque<>();
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            lines.forEach(l -> {
                LogEntry e = LogEntry.parse(l);
                if (e == null || (since != null && e.time().isBefore(since))) return;
                out.addLast(e);
                if (tail >= 0 && out.size() > tail) out.removeFirst();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }

    /**
     * Prints the last {@code tail} entries, then new ones as the monitor appends them, until
     * {@code running} says the container has stopped and the file has been read to its end.
     */
    public void follow(int tail, Consumer<LogEntry> sink, BooleanSupplier running) throws InterruptedException {
        List<LogEntry> first = read(tail, null);
        first.forEach(sink);
        long offset;
        try {
            offset = Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder partial = new StringBuilder();
        while (true) {
            boolean alive = running.getAsBoolean();
            offset = readFrom(offset, partial, sink);
            if (!alive) return;
            Thread.sleep(100);
        }
    }

    private long readFrom(long offset, StringBuilder partial, Consumer<LogEntry> sink) {
        if (!Files.exists(file)) return offset;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            if (len <= offset) return offset;
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            raf.seek(offset);
            raf.readFully(buf);
            partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                LogEntry e = LogEntry.parse(partial.substring(0, nl));
                partial.delete(0, nl + 1);
                if (e != null) sink.accept(e);
            }
            return offset + buf.length;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
