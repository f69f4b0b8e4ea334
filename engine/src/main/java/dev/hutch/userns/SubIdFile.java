package dev.hutch.userns;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;
import dev.hutch.util.AtomicFiles;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * /etc/subuid and /etc/subgid ({@code name:start:count} a line, shadow's subuid(5)): where hutch's
 * own subordinate range comes from. hutch's entry (user name {@value #OWNER}) is added to both files
 * when missing, at one start that overlaps no entry of either file, so a container's uid and gid
 * maps are the same numbers. The files are edited under shadow's own lock ({@code /etc/.pwd.lock},
 * the lock {@code lckpwdf(3)} takes) and replaced atomically; every other line stays as it was.
 */
public final class SubIdFile {
    public static final String OWNER = "hutch";
    /** 1024 containers of 65536 ids. */
    public static final long DEFAULT_COUNT = 1L << 26;
    /** Above what useradd hands out by default (SUB_UID_MAX 600100000), so new users never collide. */
    static final long FIRST_CANDIDATE = 1_000_013_824L; // 15259 * 65536
    /** uid 4294967295 is (uid_t)-1, never valid. */
    static final long ID_LIMIT = 4_294_967_295L;

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READABLE_BY_ALL =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private final Path subuid, subgid, lock;

    public SubIdFile(Path subuid, Path subgid) {
        this.subuid = subuid;
        this.subgid = subgid;
        this.lock = subuid.resolveSibling(".pwd.lock");
    }

    public static SubIdFile host() { return new SubIdFile(Path.of("/etc/subuid"), Path.of("/etc/subgid")); }

    /** A parsed line: {@code owner:start:count}. */
    public record Entry(String owner, IdRange range) {}

    /** The lines that parse; comments and malformed lines are kept in the file but ignored here. */
    public static List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        if (text == null) return out;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            String[] f = l.split(":");
            if (f.length != 3) continue;
            try {
                long start = Long.parseLong(f[1]), count = Long.parseLong(f[2]);
                if (count > 0 && start >= 0) out.add(new Entry(f[0], new IdRange(start, count)));
            } catch (NumberFormatException ignored) {
                // not ours to judge; shadow's tools ignore it too
            }
        }
        return out;
    }

    /**
     * hutch's range, the same in both files: read, or added when missing. A range present in one
     * file only, or different in the two, is refused (ids and gids must map alike).
     */
    public IdRange ensureHutchRange() {
        // an anonymous class, not a lambda: on the run path a lambda's first call costs milliseconds
        return FileLock.with(lock, new java.util.function.Supplier<IdRange>() {
            @Override
            public IdRange get() { return ensureLocked(); }
        });
    }

    private IdRange ensureLocked() {
        {
            String uidText = read(subuid), gidText = read(subgid);
            IdRange u = ownRange(parse(uidText)), g = ownRange(parse(gidText));
            if (u != null && g != null) {
                if (u.start() != g.start() || u.count() != g.count()) // not equals(): a record's costs a cold JVM an indy bootstrap
                    throw new HutchException("hutch's entries in " + subuid + " (" + u + ") and " + subgid + " (" + g
                            + ") differ; make them the same range (hutch maps uids and gids alike)");
                return u;
            }
            if (u != null || g != null)
                throw new HutchException("hutch has an entry in " + (u != null ? subuid : subgid) + " but not in "
                        + (u != null ? subgid : subuid) + "; add the same line to both (or remove it to let hutch choose)");
            List<IdRange> taken = new ArrayList<>();
            for (Entry e : parse(uidText)) taken.add(e.range());
            for (Entry e : parse(gidText)) taken.add(e.range());
            IdRange mine = freeRange(taken, DEFAULT_COUNT);
            String line = OWNER + ":" + mine.start() + ":" + mine.count() + "\n";
            try {
                for (Path p : new Path[] {subuid, subgid}) {
                    java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = java.nio.file.Files.exists(p)
                            ? java.nio.file.Files.getPosixFilePermissions(p) : READABLE_BY_ALL;
                    AtomicFiles.write(p, append(p == subuid ? uidText : gidText, line));
                    // the new file got our umask's mode: give it the old one (shadow's tools read it as others)
                    java.nio.file.Files.setPosixFilePermissions(p, mode);
                }
            } catch (UncheckedIOException | java.io.IOException e) {
                throw new HutchException("cannot add hutch's subordinate range to " + subuid + " and " + subgid + ": "
                        + e.getMessage() + " (add \"" + line.strip() + "\" to both by hand)", e);
            }
            return mine;
        }
    }

    /** The first start at or above {@link #FIRST_CANDIDATE}, aligned to 65536, overlapping nothing taken. */
    static IdRange freeRange(List<IdRange> taken, long count) {
        List<IdRange> sorted = new ArrayList<>(taken);
        sorted.sort(IdRangeLeases.BY_START);
        long start = FIRST_CANDIDATE;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (IdRange t : sorted) {
                if (t.overlaps(new IdRange(start, count))) {
                    start = (t.end() + 65535) / 65536 * 65536;
                    moved = true;
                }
            }
        }
        if (start + count > ID_LIMIT)
            throw new HutchException("no free subordinate range of " + count + " ids above " + FIRST_CANDIDATE
                    + " in /etc/subuid and /etc/subgid; add a line \"" + OWNER + ":START:COUNT\" to both by hand");
        return new IdRange(start, count);
    }

    private static IdRange ownRange(List<Entry> entries) {
        for (Entry e : entries) if (e.owner().equals(OWNER)) return e.range();
        return null;
    }

    private static String append(String text, String line) {
        if (text == null || text.isEmpty()) return line;
        return text.endsWith("\n") ? text + line : text + "\n" + line;
    }

    private static String read(Path p) {
        try {
            return AtomicFiles.readOrNull(p);
        } catch (UncheckedIOException e) {
            throw new HutchException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
