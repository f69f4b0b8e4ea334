package dev.hutch.events;

import dev.hutch.util.FileLock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine's event log without a daemon: whoever does a thing appends one line for it to
 * {@code <run root>/events.jsonl}, and {@code hutch events} (or the API's /events) reads and
 * follows that file.
 *
 * <ul>
 *   <li>Appends are one {@code write} on an {@code O_APPEND} descriptor, each a whole line, so
 *       concurrent writers (CLI processes, the engine service, the C monitor writing {@code die})
 *       never interleave inside a line.</li>
 *   <li>The file is capped: a Java writer that finds it over the cap renames it to
 *       {@code events.jsonl.1} (replacing the older one) under {@code events.lock}; so at most
 *       twice the cap is kept. A writer that opened the file just before the rename lands its line
 *       in {@code .1}, which readers still read.</li>
 *   <li>Recording never fails a verb: an event that cannot be written is lost, the verb is not.</li>
 * </ul>
 * The journal lives on the run root (a tmpfs at /var/run): like dockerd's in-memory event
 * buffer, it does not outlive a reboot.
 */
public final class EventJournal {
    public static final String FILE = "events.jsonl";
    static final long DEFAULT_MAX_BYTES = 4L << 20;

    private final Path file, rotated, lock;
    private final long maxBytes;

    public EventJournal(Path runRoot, long maxBytes) {
        this.file = runRoot.resolve(FILE);
        this.rotated = runRoot.resolve(FILE + ".1");
        this.lock = runRoot.resolve("events.lock");
        this.maxBytes = maxBytes;
    }

    /** The journal of a run root, its cap from HUTCH_EVENTS_MAX_BYTES (bytes; default 4 MiB). */
    public static EventJournal under(Path runRoot, Map<String, String> env) {
        long max = DEFAULT_MAX_BYTES;
        String v = env == null ? null : env.get("HUTCH_EVENTS_MAX_BYTES");
        if (v != null && !v.isBlank()) {
            try {
                max = Math.max(1024, Long.parseLong(v.trim()));
            } catch (NumberFormatException ignored) {
                // a bad value keeps the default: events are not worth failing a verb for
            }
        }
        return new EventJournal(runRoot, max);
    }

    public Path file() { return file; }

    Path rotatedFile() { return rotated; }

    /** Appends the event; never throws (see the class comment). */
    public void record(Event e) {
        try {
            append((e.toJournalLine() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException ignored) {
            // lost event, kept verb
        }
    }

    public void record(String type, String action, String id, Map<String, String> attributes) {
        record(Event.now(type, action, id, attributes));
    }

    private void append(byte[] line) throws IOException {
        Files.createDirectories(file.getParent());
        rotateIfFull();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line)); // one write(2) with O_APPEND: the line lands whole at the end
        }
    }

    private void rotateIfFull() throws IOException {
        if (size(file) < maxBytes) return;
        try (FileLock ignored = FileLock.acquire(lock)) {
            if (size(file) < maxBytes) return; // another writer rotated meanwhile
            Files.move(file, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The events kept with {@code sinceNano <= time <= untilNano}, oldest first. */
    public List<Event> read(long sinceNano, long untilNano) {
        List<Event> out = new ArrayList<>();
        for (Path p : List.of(rotated, file)) {
            for (String line : lines(p)) {
                Event e = Event.parse(line);
                if (e != null && e.timeNano() >= sinceNano && e.timeNano() <= untilNano) out.add(e);
            }
        }
        out.sort(java.util.Comparator.comparingLong(Event::timeNano)); // a line written late by a slow writer
        return out;
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A reader of what is appended from now on (tail -f), that survives a rotation. */
    public Tail tail() { return new Tail(file, rotated); }

    /**
     * The text the C monitor completes into this container's {@code die} line: a journal line
     * without its opening brace, which the monitor writes as
     * {@code {"timeNano":N,"exitCode":"C",} + this + newline} in one append. Its other events
     * ({@code oom}, {@code health_status: ...}, {@code resize}) are the same line with their action
     * in place of {@code die} (event.c), so the action must stay right after the type.
     */
    public static String dieLineRest(String containerId, Map<String, String> attributes) {
        Event e = new Event(Event.CONTAINER, "die", containerId, attributes, 0);
        String line = e.toJournalLine(); // {"timeNano":0,"type":...}
        return line.substring(line.indexOf(",\"type\"") + 1);
    }
}
