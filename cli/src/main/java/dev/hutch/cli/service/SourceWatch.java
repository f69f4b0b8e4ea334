package dev.hutch.cli.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The launcher's question "did a source change since the build?" for one checkout, answered by
 * the warm service instead of a walk over the sources per call (1,750 syscalls, milliseconds).
 *
 * <p>It walks once, as the client's walk does (stale_check.c: a regular file newer than the
 * stamp, directories named {@code target} skipped), and puts an inotify watch on each directory
 * before reading it, so nothing changed after the walk goes unseen. Each call then reads the
 * inotify queue: the kernel queues an event before the write that caused it returns, so a file
 * saved before the call is always seen. Any change at all (a new file or directory, a deletion,
 * a touch) makes it stale, and it stays stale: the answer is a rebuild, which replaces the stamp
 * and with it this watch. Where inotify cannot be had (no watches left), every call walks.
 */
final class SourceWatch implements AutoCloseable {
    private static final int IN_MODIFY = 0x2, IN_ATTRIB = 0x4, IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80,
            IN_CREATE = 0x100, IN_DELETE = 0x200, IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800,
            IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000, IN_ISDIR = 0x40000000,
            IN_ONLYDIR = 0x01000000, IN_DONT_FOLLOW = 0x02000000, IN_NONBLOCK = 0x800, IN_CLOEXEC = 0x80000;
    private static final int WATCHED = IN_MODIFY | IN_ATTRIB | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE
            | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW;
    private static final int EAGAIN = 11;
    private static final int MAX_DEPTH = 64;

    /** libc's inotify calls, by JNA direct mapping (the engine's binding; the JDK's WatchService
     *  reads events on a thread of its own, so an event could still be on its way at a call). */
    private static final class LibC {
        static {
            Native.register("c");
        }

        static native int inotify_init1(int flags) throws LastErrorException;

        static native int inotify_add_watch(int fd, String path, int mask) throws LastErrorException;

        static native long read(int fd, byte[] buf, long count) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final Path stamp;
    private final FileTime built;
    private final List<Path> sources;
    /** Watch descriptor to the names that count in it: null for all (a source directory), else
     *  the source files' names (their parent is watched, as editors replace files by rename). */
    private final Map<Integer, Set<String>> watches = new HashMap<>();
    private int fd = -1;
    private boolean stale;

    private SourceWatch(Path stamp, FileTime built, List<Path> sources) {
        this.stamp = stamp;
        this.built = built;
        this.sources = sources;
    }

    /** Watches the sources of the build whose stamp is given; throws when the stamp is unreadable. */
    static SourceWatch open(Path stamp, List<Path> sources) throws IOException {
        SourceWatch w = new SourceWatch(stamp, Files.getLastModifiedTime(stamp), List.copyOf(sources));
        try {
            w.fd = LibC.inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            w.fd = -1; // walk at every call instead
        }
        w.stale = w.walk(w.fd >= 0);
        return w;
    }

    Path stamp() { return stamp; }

    /** Whether this watch still describes the build on disk (a rebuild gives the stamp a new time). */
    boolean describesBuild() {
        try {
            return Files.getLastModifiedTime(stamp).equals(built);
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a source changed since the build; reads the events queued since the last call. */
    synchronized boolean stale() throws IOException {
        if (stale) return true;
        if (fd < 0) return stale = walk(false);
        byte[] buf = new byte[16 * 1024];
        for (;;) {
            long n;
            try {
                n = LibC.read(fd, buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EAGAIN) return false;
                throw new IOException("reading the source watch: errno " + e.getErrorCode());
            }
            if (n <= 0) return false;
            if (anyCounts(ByteBuffer.wrap(buf, 0, (int) n).order(ByteOrder.nativeOrder()))) return stale = true;
        }
    }

    /** struct inotify_event: int wd; uint32 mask, cookie, len; char name[len] (NUL padded). */
    private boolean anyCounts(ByteBuffer events) {
        while (events.remaining() >= 16) {
            int wd = events.getInt(), mask = events.getInt();
            events.getInt(); // cookie
            int len = events.getInt();
            byte[] raw = new byte[len];
            events.get(raw);
            int end = 0;
            while (end < len && raw[end] != 0) end++;
            String name = new String(raw, 0, end, StandardCharsets.UTF_8);
            if (counts(wd, mask, name)) return true;
        }
        return false;
    }

    private boolean counts(int wd, int mask, String name) {
        if ((mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF)) != 0) return true; // lost track
        if ((mask & IN_IGNORED) != 0) return watches.containsKey(wd); // a watched directory went away
        Set<String> names = watches.get(wd);
        if (name.isEmpty()) return false; // the watched directory's own attributes: not a source
        if (names != null) return names.contains(name);
        return !((mask & IN_ISDIR) != 0 && name.equals("target")); // Maven's output, skipped as in the walk
    }

    /** The walk of stale_check.c; with {@code watch}, each directory is watched before it is read. */
    private boolean walk(boolean watch) throws IOException {
        FileTime stampTime = Files.getLastModifiedTime(stamp);
        boolean newer = false;
        for (Path source : sources) {
            BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class);
            if (a.isRegularFile()) {
                if (watch) addWatch(source.toAbsolutePath().getParent(), source.getFileName().toString());
                newer |= a.lastModifiedTime().compareTo(stampTime) > 0;
            } else {
                newer |= walkDirectory(source, stampTime, watch, 0);
            }
            if (newer && !watch) return true;
        }
        return newer;
    }

    private boolean walkDirectory(Path dir, FileTime stampTime, boolean watch, int depth) throws IOException {
        if (watch) addWatch(dir, null);
        boolean newer = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(e, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (IOException gone) {
                    continue; // removed meanwhile: the watch has seen it
                }
                if (a.isRegularFile()) {
                    newer |= a.lastModifiedTime().compareTo(stampTime) > 0;
                } else if (a.isDirectory() && !e.getFileName().toString().equals("target") && depth < MAX_DEPTH) {
                    newer |= walkDirectory(e, stampTime, watch, depth + 1);
                }
                if (newer && !watch) return true;
            }
        }
        return newer;
    }

    /** Watches a directory; when the kernel has no watch left, falls back to a walk per call. */
    private void addWatch(Path dir, String onlyName) throws IOException {
        if (fd < 0) return;
        int wd;
        try {
            wd = LibC.inotify_add_watch(fd, dir.toString(), WATCHED);
        } catch (LastErrorException e) {
            close();
            return;
        }
        if (onlyName == null) {
            watches.put(wd, null);
        } else if (!watches.containsKey(wd) || watches.get(wd) != null) {
            watches.computeIfAbsent(wd, k -> new HashSet<>()).add(onlyName);
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // nothing to do about it
            }
            fd = -1;
            watches.clear();
        }
    }
}
