package dev.hutch.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows the journal by polling (a file on tmpfs: a stat every poll is cheap, and polling needs
 * no thread of inotify plumbing): remembers which file (its inode) and how far it read, and when
 * the journal was rotated under it, reads the rest of the old file (now {@code .1}) first.
 * Only whole lines are taken; a line still being written waits for the next poll.
 */
public final class Tail {
    private final Path file, rotated;
    private Object key; // the file key (device, inode) of the file being read; null: none yet
    private long offset;

    Tail(Path file, Path rotated) {
        this.file = file;
        this.rotated = rotated;
        BasicFileAttributes a = attrs(file);
        if (a != null) {
            key = a.fileKey();
            offset = a.size();
        }
    }

    /** The events appended since the last poll (or since this tail was made), oldest first. */
    public List<Event> poll() {
        List<Event> out = new ArrayList<>();
        BasicFileAttributes now = attrs(file);
        Object nowKey = now == null ? null : now.fileKey();
        if (key != null && !Objects.equals(key, nowKey)) {
            BasicFileAttributes old = attrs(rotated);
            if (old != null && Objects.equals(old.fileKey(), key)) readFrom(rotated, out);
            key = null;
            offset = 0;
        }
        if (now == null) return out;
        key = nowKey;
        readFrom(file, out);
        return out;
    }

    private void readFrom(Path p, List<Event> out) {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < offset) offset = 0; // truncated by hand: start over
            if (size == offset) return;
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size - offset, 8 << 20));
            ch.read(buf, offset);
            byte[] bytes = buf.array();
            int end = buf.position();
            int lastNewline = -1;
            for (int i = end - 1; i >= 0; i--) if (bytes[i] == '\n') { lastNewline = i; break; }
            if (lastNewline < 0) return;
            String text = new String(bytes, 0, lastNewline, StandardCharsets.UTF_8);
            offset += lastNewline + 1;
            for (String line : text.split("\n")) {
                Event e = Event.parse(line);
                if (e != null) out.add(e);
            }
        } catch (IOException e) {
            // gone between stat and open: the next poll sees the new file
        }
    }

    private static BasicFileAttributes attrs(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }
}
