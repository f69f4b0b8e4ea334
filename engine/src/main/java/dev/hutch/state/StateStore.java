package dev.hutch.state;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.json.Json;
import dev.hutch.util.AtomicFiles;
import dev.hutch.util.ProcStat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
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
    public static final String CONFIG = "config.json", EXIT = "exit", LOCK = "lock";

    private final Path containers;
    private final Path names;
    private final Path procRoot;

    public StateStore(Path runRoot, Path procRoot) {
        this.containers = runRoot.resolve("containers");
        this.names = runRoot.resolve("names");
        this.procRoot = procRoot;
    }

    public Path dir(String id) { return containers.resolve(id); }

    /** Reserves the name for the id; fails with a docker-like message if another container has it. */
    public void reserveName(String name, String id) {
        try {
            Files.createDirectories(names);
            Files.writeString(names.resolve(name), id, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            String other = AtomicFiles.readOrNull(names.resolve(name));
            // A name whose container record is gone (crash between the two writes) is free again.
            if (other != null && !Files.exists(dir(other.trim()).resolve(CONFIG)) && !Files.exists(dir(other.trim()))) {
                try { Files.deleteIfExists(names.resolve(name)); } catch (IOException ignored) { /* retry below */ }
                reserveName(name, id);
                return;
            }
            throw new HutchException("--name: \"" + name + "\" is already in use by container "
                    + (other == null ? "?" : shortId(other.trim())) + " (remove it with `hutch rm -f " + name
                    + "` or choose another name)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void releaseName(String name, String id) {
        Path f = names.resolve(name);
        String owner = AtomicFiles.readOrNull(f);
        if (owner != null && owner.trim().equals(id)) {
            try { Files.deleteIfExists(f); } catch (IOException ignored) { /* already gone */ }
        }
    }

    public void create(ContainerState state) {
        try {
            Files.createDirectories(containers);
            Files.createDirectory(dir(state.id()));
        } catch (IOException e) {
            throw new HutchException("cannot create the state directory " + dir(state.id()) + ": " + e.getMessage(), e);
        }
        write(state);
    }

    public void write(ContainerState state) {
        AtomicFiles.replace(dir(state.id()).resolve(CONFIG), Json.pretty(state.toJson()) + "\n");
    }

    /** Reads, changes and writes one record under its lock. */
    public ContainerState update(String id, UnaryOperator<ContainerState> change) {
        try (FileChannel ch = FileChannel.open(dir(id).resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = ch.lock()) {
            ContainerState next = change.apply(read(id));
            write(next);
            return next;
        } catch (NoSuchFileException e) {
            throw new NotFoundException("no such container: " + id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored record with its status made truthful (see {@link #refresh}). */
    public ContainerState get(String id) { return refresh(read(id)); }

    public ContainerState read(String id) {
        String text = AtomicFiles.readOrNull(dir(id).resolve(CONFIG));
        if (text == null) throw new NotFoundException("no such container: " + id);
        return ContainerState.fromJson(Json.parse(text));
    }

    /**
     * Derives the live status: a container whose monitor wrote the exit file has exited with that
     * code; a "running" container whose init is gone while nobody watched (the monitor was killed)
     * has exited too, with an unknown code (-1). Persists the change so later readers agree.
     */
    public ContainerState refresh(ContainerState s) {
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
            if (s.monitorPid() > 0 && ProcessHandle.of(s.monitorPid()).map(ProcessHandle::isAlive).orElse(false)) return s;
            if (Files.exists(dir(s.id()).resolve(EXIT))) return refresh(s);
            return update(s.id(), cur -> cur.toBuilder().status(ContainerStatus.EXITED)
                    .exitCode(cur.exitCode() == null ? -1 : cur.exitCode())
                    .finished(java.time.Instant.now()).error("the container's processes ended while no monitor was watching").build());
        }
        return s;
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
            for (Path p : ds) if (Files.exists(p.resolve(CONFIG))) out.add(p.getFileName().toString());
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
            throw new NotFoundException("no such container: \"" + ref + "\"");
        String byName = AtomicFiles.readOrNull(names.resolve(ref));
        if (byName != null && Files.exists(dir(byName.trim()).resolve(CONFIG))) return byName.trim();
        if (Files.exists(dir(ref).resolve(CONFIG))) return ref;
        List<String> matches = ids().stream().filter(id -> id.startsWith(ref)).toList();
        if (matches.size() == 1) return matches.get(0);
        if (matches.isEmpty()) throw new NotFoundException("no such container: " + ref + " (see `hutch ps -a`)");
        throw new HutchException("\"" + ref + "\" matches " + matches.size() + " containers; give more of the id");
    }

    public void delete(String id) {
        dev.hutch.util.Dirs.deleteRecursively(dir(id));
    }

    private static String shortId(String id) { return id.substring(0, Math.min(12, id.length())); }
}
