package dev.hutch.state;

import dev.hutch.util.FileLock;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.util.AtomicFiles;
import dev.hutch.util.ProcStat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Container records under {@code <runRoot>/containers/<id>/config.json}, and the name index under
 * {@code <runRoot>/names/<name>} (a file holding the id). Creating the name file with O_EXCL is
 * what makes two concurrent {@code run --name web} safe: exactly one wins. Updates take the
 * container's lock file and write atomically, so a crash leaves the old record or the new one.
 */
public final class StateStore {
    public static final String CONFIG = "config.json", EXIT = "exit", LOCK = "lock", MONITOR = "monitor", HEALTH = "health";

    private final Path containers;
    private final Path names;
    private final Path procRoot;

    public StateStore(Path runRoot, Path procRoot) {
        this.containers = runRoot.resolve("containers");
        this.names = runRoot.resolve("names");
        this.procRoot = procRoot;
    }

    public Path dir(String id) { return containers.resolve(id); }

    /** {@link #reserveName} found the name taken by another container (rename words it as docker does). */
    public static final class NameInUse extends HutchException {
        private final String name, holder;

        NameInUse(String name, String holder, String message) {
            super(message);
            this.name = name;
            this.holder = holder;
        }

        public String name() { return name; }

        /** The id of the container that has the name ("" when its file was unreadable). */
        public String holder() { return holder; }
    }

    /**
     * Reserves the name for the id; fails with a docker-like message if another container has it.
     * The name file appears whole or not at all: the id is written to a temp file, which is then
     * hard-linked to the name (link fails if the name exists, like O_EXCL). A kill or a full disk
     * mid-write leaves at most the temp file, never an empty name file that wedges the name.
     * The record is written before this, so a name file whose record is gone is stale.
     */
    public void reserveName(String name, String id) {
        Path tmp = names.resolve(".tmp-" + id);
        try {
            Files.createDirectories(names);
            Files.writeString(tmp, id, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.createLink(names.resolve(name), tmp);
                    return;
                } catch (FileAlreadyExistsException e) {
                    String other = readName(name);
                    // Stale: blank (a torn write by an older hutch) or its record is gone.
                    if (attempt < 3 && (other == null || other.isEmpty() || !Files.isDirectory(dir(other)))) {
                        try { Files.deleteIfExists(names.resolve(name)); } catch (IOException ignored) { /* retry */ }
                        continue;
                    }
                    throw new NameInUse(name, other == null ? "" : other, "--name: \"" + name + "\" is already in use by container "
                            + (other == null || other.isEmpty() ? "?" : shortId(other)) + " (remove it with `hutch rm -f " + name
                            + "` or choose another name)");
                }
            }
        } catch (IOException e) {
            throw new HutchException("cannot reserve the name \"" + name + "\" under " + names + ": " + e.getMessage()
                    + " (free some space there and try again)", e);
        } finally {
            try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* a leftover temp file holds no name */ }
        }
    }

    private String readName(String name) {
        try {
            String t = AtomicFiles.readOrNull(names.resolve(name));
            return t == null ? null : t.trim();
        } catch (UncheckedIOException e) {
            return null;
        }
    }

    public void releaseName(String name, String id) {
        if (name == null) return;
        Path f = names.resolve(name);
        String owner = readName(name);
        if (owner != null && owner.equals(id)) {
            try { Files.deleteIfExists(f); } catch (IOException ignored) { /* already gone */ }
        }
    }

    /** The names whose file holds this id (a scan): for a record too damaged to say its name. */
    public List<String> namesOf(String id) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(names)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(names)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && id.equals(readName(n))) out.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Creates the state dir with its record in one step: both are made under a temp name and the
     * directory is renamed into place, so a state dir never exists without its config.json.
     */
    public void create(ContainerState state) {
        Path tmp = containers.resolve(".new-" + state.id());
        try {
            Files.createDirectories(containers);
            Files.createDirectory(tmp);
            AtomicFiles.replace(tmp.resolve(CONFIG), Json.pretty(state.toJson()) + "\n");
            Files.move(tmp, dir(state.id()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | UncheckedIOException e) {
            dev.hutch.util.Dirs.deleteRecursively(tmp);
            throw new HutchException("cannot create the state directory " + dir(state.id()) + ": " + e.getMessage()
                    + " (free some space there and try again)", e);
        }
    }

    public void write(ContainerState state) {
        AtomicFiles.replace(dir(state.id()).resolve(CONFIG), Json.pretty(state.toJson()) + "\n");
    }

    /** Reads, changes and writes one record under its lock (shared with other threads and processes). */
    public ContainerState update(String id, UnaryOperator<ContainerState> change) {
        // The lock file lives in the state dir, which is never re-made here: rm may have removed it.
        FileLock lock;
        try {
            lock = FileLock.acquireInExistingDir(dir(id).resolve(LOCK));
        } catch (FileLock.NoSuchDirectoryException e) {
            throw NotFoundException.container("no such container: " + id);
        }
        try (FileLock ignored = lock) {
            ContainerState cur = read(id);
            if (cur.isDamaged())
                throw new HutchException("container " + id + " has a " + cur.error() + " (remove it with `hutch rm -f " + id + "`)");
            ContainerState next = change.apply(cur);
            write(next);
            return next;
        }
    }

    /** The stored record with its status made truthful (see {@link #refresh}). */
    public ContainerState get(String id) { return refresh(read(id)); }

    /**
     * The stored record. One that cannot be parsed comes back as {@link ContainerState#damaged}
     * with the reason, so one bad file never hides the others or blocks its own removal.
     */
    public ContainerState read(String id) {
        String text;
        try {
            text = AtomicFiles.readOrNull(dir(id).resolve(CONFIG));
        } catch (UncheckedIOException e) {
            return ContainerState.damaged(id, "config.json cannot be read: " + e.getMessage());
        }
        if (text == null) {
            if (Files.isDirectory(dir(id))) return ContainerState.damaged(id, "config.json is missing");
            throw NotFoundException.container("no such container: " + id);
        }
        try {
            ContainerState s = ContainerState.fromJson(Json.parse(text));
            if (s.id() == null || !s.id().equals(id)) return ContainerState.damaged(id, "config.json names another id: " + s.id());
            return s;
        } catch (RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return ContainerState.damaged(id, "config.json is not a valid record (" + why.lines().findFirst().orElse("") + ")");
        }
    }

    /**
     * Derives the live status: a container whose monitor wrote the exit file has exited with that
     * code; a "running" container whose init is gone while nobody watched (the monitor was killed)
     * has exited too, with an unknown code (-1). Persists the change so later readers agree.
     */
    public ContainerState refresh(ContainerState s) {
        if (s.status() == ContainerStatus.CREATED) return refreshCreated(s);
        if (s.status() == ContainerStatus.RESTARTING) return refreshRestarting(s);
        if (!s.isRunning()) return s;
        String exitText = AtomicFiles.readOrNull(dir(s.id()).resolve(EXIT));
        if (exitText != null) {
            ExitRecord exit = ExitRecord.parse(exitText);
            return update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.EXITED).exitCode(exit.exitCode())
                    .finished(exit.finishedAt()).oomKilled(cur.oomKilled() || exit.oomKilled())
                    .error(exit.error()).build());
        }
        if (!ProcStat.isAlive(procRoot, s.pid(), s.pidStartTime())) {
            // Init is gone, but a living monitor is about to write the exit file (with the code and
            // the OOM flag): until it has, the container is still stopping, not "died unwatched".
            // The monitor writes the file before it exits, so "monitor gone" is checked first and
            // the file after it: no moment in between can be misread.
            if (monitorAlive(s)) return s;
            if (Files.exists(dir(s.id()).resolve(EXIT))) return refresh(s);
            return update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.EXITED)
                    .exitCode(cur.exitCode() == null ? -1 : cur.exitCode())
                    .finished(java.time.Instant.now()).error("the container's processes ended while no monitor was watching").build());
        }
        return s;
    }

    /**
     * "restarting" is truthful while the process carrying out the restart lives (it waits its
     * backoff, then starts the container, which makes the record "created" and "running"). One
     * killed meanwhile leaves the container exited, with its last exit code.
     */
    private ContainerState refreshRestarting(ContainerState s) {
        RestartRecord r = s.restart();
        if (r.restarterPid() > 0 && ProcStat.isAlive(procRoot, r.restarterPid(), r.restarterStartTime())) return s;
        return update(s.id(), cur -> cur.status() != ContainerStatus.RESTARTING ? cur
                : cur.toBuilder().status(ContainerStatus.EXITED).restart(cur.restart().withRestarter(0, 0)).build());
    }

    /**
     * A "created" record is truthful while the hutch that makes it lives. Once that process is
     * gone: an exit file means the container ran and ended; a journal that reached "go" with init
     * alive means it runs (the run was killed after starting it); anything else was interrupted
     * half-way and is dead, with the step it stopped at. Only the first two are persisted: a dead
     * record is left as its runner wrote it, for {@code rm -f} to undo.
     */
    private ContainerState refreshCreated(ContainerState s) {
        if (s.runnerPid() <= 0 || ProcStat.isAlive(procRoot, s.runnerPid(), s.runnerStartTime())) return s;
        if (Files.exists(dir(s.id()).resolve(EXIT)) || (s.began(Step.GO) && ProcStat.isAlive(procRoot, s.pid(), s.pidStartTime()))) {
            ContainerState running = update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.RUNNING)
                    .started(cur.started() == null ? java.time.Instant.now() : cur.started()).build());
            return refresh(running);
        }
        return s.toBuilder().status(ContainerStatus.DEAD)
                .error("the run was interrupted at step \"" + s.lastStep() + "\" (its hutch process ended); remove it with `hutch rm -f "
                        + s.name() + "`").build();
    }

    /**
     * The monitor's pid and start time also go to a small file of their own the moment it is
     * spawned, so that even a record too damaged to read still says which process to stop.
     */
    public void recordMonitor(String id, long pid, long startTime) {
        AtomicFiles.replace(dir(id).resolve(MONITOR), pid + " " + startTime + "\n");
    }

    /** {pid, start time} from the monitor file, or null. */
    public long[] monitorOf(String id) {
        try {
            String t = AtomicFiles.readOrNull(dir(id).resolve(MONITOR));
            if (t == null) return null;
            String[] f = t.trim().split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The monitor, if it lives: its pid checked against the recorded start time. */
    public boolean monitorAlive(ContainerState s) {
        return s.monitorPid() > 0 && ProcStat.isAlive(procRoot, s.monitorPid(), s.monitorStartTime());
    }

    /**
     * The health check's record of a running container (the monitor writes it), or null when it
     * has no check or is not running: docker shows no health for a stopped container.
     */
    public HealthRecord health(ContainerState s) {
        if (s.status() != ContainerStatus.RUNNING && s.status() != ContainerStatus.PAUSED) return null;
        try {
            String t = AtomicFiles.readOrNull(dir(s.id()).resolve(HEALTH));
            return t == null ? null : HealthRecord.parse(t);
        } catch (RuntimeException e) {
            return null; // torn by hand or unreadable: no health rather than no listing
        }
    }

    public ExitRecord exitRecord(String id) {
        String t = AtomicFiles.readOrNull(dir(id).resolve(EXIT));
        return t == null ? null : ExitRecord.parse(t);
    }

    /** Every container id, in no particular order: one directory listing, no file reads. */
    public List<String> ids() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(containers)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(containers)) {
            // Dot names are a record being created or removed (renamed in or out in one step).
            for (Path p : ds) if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p)) out.add(p.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public List<ContainerState> all() {
        List<ContainerState> out = new ArrayList<>();
        for (String id : ids()) {
            try {
                out.add(get(id));
            } catch (NotFoundException e) {
                // removed while we listed
            }
        }
        return out;
    }

    /**
     * Finds a container by exact name, exact id, or unique id prefix, the way docker does.
     */
    public String resolve(String ref) {
        if (ref == null || ref.isEmpty() || ref.contains("/") || ref.contains("..") || ref.startsWith("."))
            throw NotFoundException.container("no such container: \"" + ref + "\"");
        String byName = readName(ref);
        if (byName != null && !byName.isEmpty() && Files.isDirectory(dir(byName))) return byName;
        if (Files.isDirectory(dir(ref))) return ref;
        List<String> matches = ids().stream().filter(id -> id.startsWith(ref)).toList();
        if (matches.isEmpty()) {
            // A run killed between its record and its name reservation: the record has the name.
            matches = ids().stream().filter(id -> ref.equals(read(id).name())).toList();
        }
        if (matches.size() == 1) return matches.get(0);
        if (matches.isEmpty()) throw NotFoundException.container("no such container: " + ref + " (see `hutch ps -a`)");
        throw new HutchException("\"" + ref + "\" matches " + matches.size() + " containers; give more of the id");
    }

    /** Removes the state dir in one step (renamed away first), so no half-deleted record is ever listed. */
    public void delete(String id) {
        Path gone = containers.resolve(".gone-" + id);
        try {
            Files.move(dir(id), gone, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            // already gone, or a previous delete was interrupted after the rename
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dev.hutch.util.Dirs.deleteRecursively(gone);
    }

    private static String shortId(String id) { return id.substring(0, Math.min(12, id.length())); }
}
