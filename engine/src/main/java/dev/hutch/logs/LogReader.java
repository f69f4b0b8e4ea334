package dev.hutch.logs;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reads a container's log for {@code hutch logs}, in constant memory whatever its size: the log
 * is the file the monitor appends to plus the rotated ones ({@code LOG.1} newest ... {@code LOG.N}
 * oldest). Entries are streamed line by line; {@code --tail N} reads blocks backwards from the
 * end and keeps only N entries; {@code --since} finds its start by a binary search over byte
 * offsets (entries are appended in time order); {@code --until} stops the scan.
 */
public final class LogReader {
    private static final int BLOCK = 64 * 1024;

    private final Path file;

    public LogReader(Path file) { this.file = file; }

    /** Which entries, by time; null bounds are open. */
    public record Window(Instant since, Instant until) {
        public static final Window ALL = new Window(null, null);

        boolean admits(LogEntry e) {
            return (since == null || !e.time().isBefore(since)) && (until == null || !e.time().isAfter(until));
        }
    }

    /** The log files, oldest first: LOG.N ... LOG.1, LOG. */
    public List<Path> files() {
        List<Path> out = new ArrayList<>();
        for (int i = 100; i >= 1; i--) {
            Path p = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(p)) out.add(p);
        }
        if (Files.exists(file)) out.add(file);
        return out;
    }

    /** @param tail how many entries from the end, or -1 for all */
    public List<LogEntry> read(int tail, Instant since) {
        List<LogEntry> out = new ArrayList<>();
        emit(tail, new Window(since, null), out::add);
        return out;
    }

    /** Streams the chosen entries, oldest first, to the sink. @return the entries emitted */
    public long emit(int tail, Window w, Consumer<LogEntry> sink) { return emit(tail, w, sink, Long.MAX_VALUE); }

    /** @param liveEnd where to stop in the live file (what follow reads from) */
    private long emit(int tail, Window w, Consumer<LogEntry> sink, long liveEnd) {
        if (tail == 0) return 0;
        if (tail > 0) {
            List<LogEntry> last = tail(tail, w, liveEnd);
            last.forEach(sink);
            return last.size();
        }
        long n = 0;
        for (Path p : files()) {
            long start = w.since() == null ? 0 : firstOffsetAtOrAfter(p, w.since());
            long[] count = {0};
            boolean[] past = {false};
            scan(p, start, p.equals(file) ? liveEnd : Long.MAX_VALUE, line -> {
                LogEntry e = LogEntry.parse(line);
                if (e == null) return true;
                if (w.until() != null && e.time().isAfter(w.until())) {
                    past[0] = true;
                    return false;
                }
                if (w.admits(e)) {
                    sink.accept(e);
                    count[0]++;
                }
                return true;
            });
            n += count[0];
            if (past[0]) break;
        }
        return n;
    }

    /**
     * What {@code logs} without --tail does, at the speed of the disk: each entry's text goes
     * from the file's bytes to {@code out} (stdout entries) or {@code err} (stderr and hutch's
     * notes), unescaped in place, with no String per line; the time is parsed only when a window
     * or timestamps ask for it. A line not in the monitor's layout goes through LogEntry.parse.
     * Memory: one 1 MiB buffer (more only for a longer line).
     *
     * @return the entries copied
     */
    public long copy(Window w, boolean timestamps, java.io.OutputStream outStream, java.io.OutputStream errStream) {
        ByteSink out = new ByteSink(outStream, 1 << 16), err = new ByteSink(errStream, 1 << 13);
        try {
            return copyAll(w, timestamps, out, err);
        } finally {
            try {
                out.flush();
                err.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private long copyAll(Window w, boolean timestamps, ByteSink out, ByteSink err) {
        long n = 0;
        for (Path p : files()) {
            long start = w.since() == null ? 0 : firstOffsetAtOrAfter(p, w.since());
            long[] done = new long[2]; // [0] entries, [1] 1 = past until
            try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
                ch.position(start);
                ByteBuffer buf = ByteBuffer.allocate(1 << 20);
                byte[] a = buf.array();
                while (ch.read(buf) > 0) {
                    int end = buf.position(), from = 0;
                    for (int i = ByteSearch.indexOf(a, 0, end, (byte) '\n'); i >= 0; i = ByteSearch.indexOf(a, from, end, (byte) '\n')) {
                        if (!copyLine(a, from, i, w, timestamps, out, err, done)) return n + done[0];
                        from = i + 1;
                    }
                    if (from == 0 && end == a.length) { // one line longer than the buffer
                        ByteBuffer bigger = ByteBuffer.allocate(a.length * 2);
                        bigger.put(a, 0, end);
                        buf = bigger;
                        a = buf.array();
                        continue;
                    }
                    System.arraycopy(a, from, a, 0, end - from);
                    buf.position(end - from);
                }
                // a last line without its newline is still being written: not an entry yet
            } catch (java.nio.file.NoSuchFileException e) {
                // rotated away meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            n += done[0];
        }
        return n;
    }

    private static final byte[] TIME = "{\"time\":\"".getBytes(StandardCharsets.US_ASCII),
            STREAM = "\",\"stream\":\"".getBytes(StandardCharsets.US_ASCII), LOG = "\",\"log\":\"".getBytes(StandardCharsets.US_ASCII);

    /** One line [from, to) of the file; false when --until says stop. */
    private static boolean copyLine(byte[] a, int from, int to, Window w, boolean timestamps, ByteSink out,
                                    ByteSink err, long[] done) throws IOException {
        int timeEnd = -1, streamEnd = -1;
        if (startsWith(a, from, to, TIME)) {
            timeEnd = ByteSearch.indexOf(a, from + TIME.length, to, (byte) '"');
            if (timeEnd > 0 && startsWith(a, timeEnd, to, STREAM)) {
                streamEnd = ByteSearch.indexOf(a, timeEnd + STREAM.length, to, (byte) '"');
                if (streamEnd < 0 || !startsWith(a, streamEnd, to, LOG) || to - 2 < streamEnd + LOG.length
                        || a[to - 2] != '"' || a[to - 1] != '}') streamEnd = -1;
            }
        }
        if (streamEnd < 0) { // not the monitor's layout: the general parser
            if (to == from) return true;
            LogEntry e = LogEntry.parse(new String(a, from, to - from, StandardCharsets.UTF_8));
            if (e == null) return true;
            if (w.until() != null && e.time().isAfter(w.until())) return false;
            if (!w.admits(e)) return true;
            ByteSink o = e.isStderr() || e.isHutch() ? err : out;
            if (timestamps) o.write((e.time() + " ").getBytes(StandardCharsets.UTF_8));
            o.write(e.text().getBytes(StandardCharsets.UTF_8));
            done[0]++;
            return true;
        }
        Instant time = null;
        if (w.since() != null || w.until() != null || timestamps) {
            time = LogEntry.parseInstant(new String(a, from + TIME.length, timeEnd - from - TIME.length, StandardCharsets.US_ASCII),
                    0, timeEnd - from - TIME.length);
            if (w.until() != null && time.isAfter(w.until())) return false;
            if (w.since() != null && time.isBefore(w.since())) return true;
        }
        int st = timeEnd + STREAM.length, stLen = streamEnd - st;
        boolean toErr = stLen == 6 && a[st] == 's' && a[st + 1] == 't' && a[st + 2] == 'd' && a[st + 3] == 'e'
                || stLen == 5 && a[st] == 'h' && a[st + 1] == 'u';
        ByteSink o = toErr ? err : out;
        if (timestamps) o.write((time + " ").getBytes(StandardCharsets.US_ASCII));
        unescapeTo(a, streamEnd + LOG.length, to - 2, o);
        done[0]++;
        return true;
    }

    private static boolean startsWith(byte[] a, int at, int to, byte[] p) {
        if (to - at < p.length) return false;
        for (int i = 0; i < p.length; i++) if (a[at + i] != p[i]) return false;
        return true;
    }

    /** A JSON string's inside, from bytes to bytes: runs without a backslash are written as they are. */
    private static void unescapeTo(byte[] a, int from, int to, ByteSink o) throws IOException {
        int run = from;
        for (int i = ByteSearch.indexOf(a, from, to, (byte) '\\'); i >= 0; i = ByteSearch.indexOf(a, i + 1, to, (byte) '\\')) {
            if (i > run) o.write(a, run, i - run);
            if (++i >= to) return;
            byte e = a[i];
            switch (e) {
                case 'n' -> o.write('\n');
                case 't' -> o.write('\t');
                case 'r' -> o.write('\r');
                case 'b' -> o.write('\b');
                case 'f' -> o.write('\f');
                case 'u' -> {
                    if (i + 4 >= to) return;
                    int c = Integer.parseInt(new String(a, i + 1, 4, StandardCharsets.US_ASCII), 16);
                    i += 4;
                    if (Character.isHighSurrogate((char) c) && i + 6 < to && a[i + 1] == '\\' && a[i + 2] == 'u') {
                        int lo = Integer.parseInt(new String(a, i + 3, 4, StandardCharsets.US_ASCII), 16);
                        if (Character.isLowSurrogate((char) lo)) {
                            c = Character.toCodePoint((char) c, (char) lo);
                            i += 6;
                        }
                    }
                    o.write(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                }
                default -> o.write(e); // \" \\ \/
            }
            run = i + 1;
        }
        if (to > run) o.write(a, run, to - run);
    }

    /** The last n entries in the window: blocks read backwards from the end of the newest file. */
    List<LogEntry> tail(int n, Window w, long liveEnd) {
        Deque<LogEntry> out = new ArrayDeque<>();
        List<Path> files = files();
        for (int i = files.size() - 1; i >= 0 && out.size() < n; i--) {
            boolean[] done = {false};
            scanBackwards(files.get(i), files.get(i).equals(file) ? liveEnd : Long.MAX_VALUE, line -> {
                LogEntry e = LogEntry.parse(line);
                if (e == null) return true;
                if (w.since() != null && e.time().isBefore(w.since())) {
                    done[0] = true;
                    return false;
                }
                if (w.admits(e)) out.addFirst(e);
                return out.size() < n;
            });
            if (done[0]) break;
        }
        return new ArrayList<>(out);
    }

    /**
     * Prints the last {@code tail} entries (all with -1), then new ones as the monitor appends
     * them, until {@code running} says the container has stopped and the file is read to its end.
     * A rotation (the file shrank or was replaced) restarts at the new file's beginning.
     */
    public void follow(int tail, Consumer<LogEntry> sink, BooleanSupplier running) throws InterruptedException {
        follow(tail, Window.ALL, sink, running, () -> {});
    }

    public void follow(int tail, Window w, Consumer<LogEntry> sink, BooleanSupplier running, Runnable flush)
            throws InterruptedException {
        long offset = size(file);
        Object key = fileKey(file);
        emit(tail, w, sink, offset);
        flush.run();
        StringBuilder partial = new StringBuilder();
        while (true) {
            boolean alive = running.getAsBoolean();
            Object nowKey = fileKey(file);
            if (nowKey != null && !nowKey.equals(key) || size(file) < offset) {
                key = nowKey;
                offset = 0;
                partial.setLength(0);
            }
            offset = readFrom(offset, partial, e -> {
                if (w.admits(e)) sink.accept(e);
            });
            flush.run();
            if (!alive) return;
            Thread.sleep(100);
        }
    }

    // ---- scanning ---------------------------------------------------------------------------

    private interface LineSink { boolean accept(String line); }

    /** Lines from the offset to the end, each to the sink until it says stop. Constant memory. */
    private static void scan(Path p, long offset, long end, LineSink sink) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.position(offset);
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            byte[] line = new byte[1024];
            int len = 0;
            long pos = offset;
            while (pos < end && ch.read(buf) > 0) {
                buf.flip();
                if (pos + buf.limit() > end) buf.limit((int) (end - pos));
                pos += buf.limit();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n') {
                        if (!sink.accept(new String(line, 0, len, StandardCharsets.UTF_8))) return;
                        len = 0;
                    } else {
                        if (len == line.length) line = java.util.Arrays.copyOf(line, len * 2);
                        line[len++] = b;
                    }
                }
                buf.clear();
            }
            // a last line without its newline is still being written: not an entry yet
        } catch (java.nio.file.NoSuchFileException e) {
            // rotated away meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Complete lines from the end backwards, each to the sink until it says stop. */
    private static void scanBackwards(Path p, long end, LineSink sink) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long pos = Math.min(ch.size(), end);
            ByteBuffer buf = ByteBuffer.allocate(BLOCK);
            java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream(); // bytes after the last newline seen, reversed
            boolean first = true;
            while (pos > 0) {
                int n = (int) Math.min(BLOCK, pos);
                pos -= n;
                buf.clear().limit(n);
                while (buf.hasRemaining()) if (ch.read(buf, pos + buf.position()) < 0) break;
                byte[] a = buf.array();
                for (int i = n - 1; i >= 0; i--) {
                    if (a[i] == '\n') {
                        if (!first && !sink.accept(reversed(pending))) return;
                        first = false; // what follows the file's last newline is a line still being written
                        pending.reset();
                    } else {
                        pending.write(a[i]);
                    }
                }
            }
            if (!first && pending.size() > 0) sink.accept(reversed(pending));
        } catch (java.nio.file.NoSuchFileException e) {
            // rotated away meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String reversed(java.io.ByteArrayOutputStream rev) {
        byte[] b = rev.toByteArray();
        for (int i = 0, j = b.length - 1; i < j; i++, j--) {
            byte t = b[i];
            b[i] = b[j];
            b[j] = t;
        }
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * The offset of the first line whose entry is at or after {@code since}: a binary search over
     * byte offsets, each probe reading the first complete line after it. O(log size) reads.
     */
    static long firstOffsetAtOrAfter(Path p, Instant since) {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long lo = 0, hi = f.length();
            while (hi - lo > BLOCK) {
                long mid = (lo + hi) >>> 1;
                long lineStart = nextLineStart(f, mid);
                Instant t = lineStart < 0 ? null : timeAt(f, lineStart);
                if (t == null || !t.isBefore(since)) hi = mid;
                else lo = mid;
            }
            return lo == 0 ? 0 : Math.max(0, nextLineStart(f, lo));
        } catch (IOException e) {
            return 0;
        }
    }

    private static long nextLineStart(RandomAccessFile f, long from) throws IOException {
        if (from == 0) return 0;
        f.seek(from - 1);
        byte[] b = new byte[8192];
        long pos = from - 1;
        int n;
        while ((n = f.read(b)) > 0) {
            for (int i = 0; i < n; i++) if (b[i] == '\n') return pos + i + 1;
            pos += n;
        }
        return -1;
    }

    private static Instant timeAt(RandomAccessFile f, long offset) throws IOException {
        f.seek(offset);
        byte[] b = new byte[256];
        int n = f.read(b);
        if (n <= 0) return null;
        String s = new String(b, 0, n, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        LogEntry e = LogEntry.parseTime(nl < 0 ? s : s.substring(0, nl));
        return e == null ? null : e.time();
    }

    private long readFrom(long offset, StringBuilder partial, Consumer<LogEntry> sink) {
        if (!Files.exists(file)) return offset;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long len = raf.length();
            while (len > offset) {
                byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
                raf.seek(offset);
                raf.readFully(buf);
                partial.append(new String(buf, StandardCharsets.UTF_8));
                int start = 0, nl;
                while ((nl = partial.indexOf("\n", start)) >= 0) {
                    LogEntry e = LogEntry.parse(partial.substring(start, nl));
                    start = nl + 1;
                    if (e != null) sink.accept(e);
                }
                partial.delete(0, start);
                offset += buf.length;
            }
            return offset;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
