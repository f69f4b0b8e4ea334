package dev.hutch.userns;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The containers' shares of hutch's subordinate range, one file per container:
 * {@code <libRoot>/userns/leases/<container id>} holding {@code START COUNT}. Allocation takes the
 * lock ({@code <libRoot>/userns/.lock}), reads the leases (only containers with a user namespace
 * have one) and writes the first gap that fits, so two runs at once never get overlapping ranges.
 *
 * <p>Crash safety as with IPAM leases: a run journals its {@code userns} step before it allocates,
 * {@code rm} frees the lease by container id whatever the record says, and a lease whose
 * container's state dir is gone is taken over (after a grace period that covers a lease made just
 * before its state dir could be seen).
 */
public final class IdRangeLeases {
    public static final long DEFAULT_GRACE_MILLIS = 30_000;

    private final Path dir;
    private final Predicate<String> containerExists;
    private final long graceMillis;

    public IdRangeLeases(Path usernsDir, Predicate<String> containerExists, long graceMillis) {
        this.dir = usernsDir;
        this.containerExists = containerExists;
        this.graceMillis = graceMillis;
    }

    public Path leasesDir() { return dir.resolve("leases"); }

    /** A container's range within {@code pool}, {@code size} ids long. */
    public IdRange allocate(String containerId, IdRange pool, int size) {
        // an anonymous class, not a lambda: on the run path a lambda's first call costs milliseconds
        return FileLock.with(dir.resolve(".lock"), new java.util.function.Supplier<IdRange>() {
            @Override
            public IdRange get() { return allocateLocked(containerId, pool, size); }
        });
    }

    private IdRange allocateLocked(String containerId, IdRange pool, int size) {
        {
            List<IdRange> taken = new ArrayList<>();
            for (Path p : leaseFiles()) {
                String owner = p.getFileName().toString();
                IdRange r = read(p);
                if (r == null) continue;
                if (!owner.equals(containerId) && !containerExists.test(owner) && olderThanGrace(p)) {
                    delete(p); // its container is gone without a cleanup: the range is free again
                    continue;
                }
                taken.add(r);
            }
            IdRange mine = firstFit(pool, taken, size);
            if (mine == null)
                throw new HutchException("hutch's subordinate range " + pool + " has no " + size + " ids free (" + taken.size()
                        + " containers hold ranges); remove containers, use --userns=auto:size=N with a smaller N,"
                        + " or give hutch a larger range in /etc/subuid and /etc/subgid");
            write(leasesDir().resolve(containerId), mine);
            return mine;
        }
    }

    /** Frees the container's range; quiet if it has none. */
    public void release(String containerId) {
        if (!Files.isDirectory(leasesDir())) return;
        FileLock.run(dir.resolve(".lock"), () -> delete(leasesDir().resolve(containerId)));
    }

    /** The range a container holds, or null. */
    public IdRange of(String containerId) { return read(leasesDir().resolve(containerId)); }

    static final Comparator<IdRange> BY_START = new Comparator<>() {
        @Override
        public int compare(IdRange a, IdRange b) { return Long.compare(a.start(), b.start()); }
    };

    /** The lowest start in {@code pool} where {@code size} ids overlap nothing taken. */
    static IdRange firstFit(IdRange pool, List<IdRange> taken, int size) {
        List<IdRange> sorted = new ArrayList<>(taken);
        sorted.sort(BY_START);
        long start = pool.start();
        for (IdRange t : sorted) {
            if (t.end() <= start) continue;
            if (t.start() >= start + size) break;
            start = t.end();
        }
        return start + size <= pool.end() ? new IdRange(start, size) : null;
    }

    private List<Path> leaseFiles() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(leasesDir())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(leasesDir())) {
            for (Path p : ds) if (!p.getFileName().toString().startsWith(".")) out.add(p);
        } catch (IOException e) {
            throw new HutchException("cannot list " + leasesDir() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private boolean olderThanGrace(Path p) {
        try {
            return System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis() > graceMillis;
        } catch (IOException e) {
            return false;
        }
    }

    static IdRange read(Path p) {
        try {
            String[] f = Files.readString(p, StandardCharsets.US_ASCII).strip().split("\\s+");
            return new IdRange(Long.parseLong(f[0]), Long.parseLong(f[1]));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // a torn write of a crashed run: it holds nothing
        }
    }

    private void write(Path p, IdRange r) {
        try {
            Files.createDirectories(p.getParent());
            Path tmp = p.resolveSibling("." + p.getFileName() + ".tmp");
            Files.writeString(tmp, r.start() + " " + r.count() + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new HutchException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new HutchException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
