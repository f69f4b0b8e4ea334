package dev.hutch.net.netns;

import dev.hutch.HutchException;
import dev.hutch.sys.SyscallException;
import dev.hutch.sys.Syscalls;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Makes a container's network namespace visible to {@code ip netns} as {@code <netnsDir>/hutch-NAME}.
 *
 * <p>Two ways, chosen by the caller:
 * <ul>
 *   <li>{@link #bindMount}: an empty file with {@code /proc/PID/ns/net} bind-mounted on it, the way
 *       {@code ip netns add} pins a namespace. It stays valid whatever happens to the pid. Needs
 *       the mount syscall, so JNA.</li>
 *   <li>{@link #symlink}: a symlink to {@code /proc/PID/ns/net}, as in the background articles.
 *       Used for {@code --network none} and {@code container:} so that those starts never load
 *       JNA; release removes it, and it only ever points at a recorded pid.</li>
 * </ul>
 * {@link #remove} undoes either, quietly if there is nothing.
 */
public final class NetnsFiles {
    public static final String PREFIX = "hutch-";

    private final Path netnsDir;
    private final Path procRoot;

    public NetnsFiles(Path netnsDir, Path procRoot) {
        this.netnsDir = netnsDir;
        this.procRoot = procRoot;
    }

    /** {@code <netnsDir>/hutch-<name>}; the name is the container's, already validated as a name. */
    public Path pathFor(String containerName) { return netnsDir.resolve(PREFIX + containerName); }

    public Path bindMount(String containerName, long pid, Syscalls sys) {
        Path file = pathFor(containerName);
        createEmpty(file);
        try {
            sys.mount(procRoot.resolve(Long.toString(pid)).resolve("ns/net").toString(), file.toString(), "none",
                    Syscalls.MS_BIND, null);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
        }
        return file;
    }

    public Path symlink(String containerName, long pid) {
        Path file = pathFor(containerName);
        try {
            Files.createDirectories(netnsDir);
            Files.deleteIfExists(file);
            Files.createSymbolicLink(file, procRoot.resolve(Long.toString(pid)).resolve("ns/net"));
        } catch (IOException e) {
            throw new HutchException("cannot create " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /**
     * rename of a running container: the same namespace under {@code hutch-<newName>}, and the old
     * file gone, so a new container may take the old name (and its file) without sharing it. A
     * symlink is made again; a bind mount is bound again at the new path before the old one goes.
     */
    public Path move(Path from, String newName, Supplier<Syscalls> sys) {
        Path to = pathFor(newName);
        if (from.equals(to)) return to;
        if (Files.isSymbolicLink(from)) {
            try {
                Path target = Files.readSymbolicLink(from);
                Files.deleteIfExists(to);
                Files.createSymbolicLink(to, target);
            } catch (IOException e) {
                throw new HutchException("cannot create " + to + ": " + e.getMessage(), e);
            }
            deleteQuietly(from);
            return to;
        }
        createEmpty(to);
        try {
            sys.get().mount(from.toString(), to.toString(), "none", Syscalls.MS_BIND, null);
        } catch (RuntimeException e) {
            deleteQuietly(to);
            throw e;
        }
        remove(from, sys);
        return to;
    }

    /**
     * Removes a netns file made by either method. A symlink needs no syscall; a mount is detached
     * (lazily, so a shell still inside it does not make rm fail) and then the file unlinked.
     *
     * @param sys supplies the syscalls only when a mount has to go, so removing a symlink never loads JNA
     */
    public static void remove(Path file, Supplier<Syscalls> sys) {
        if (file == null) return;
        if (!Files.isSymbolicLink(file) && Files.exists(file)) {
            try {
                sys.get().umount2(file.toString(), Syscalls.MNT_DETACH);
            } catch (SyscallException e) {
                // EINVAL: not a mount point (the mount never happened or is gone); ENOENT: raced away
                if (e.errno() != SyscallException.EINVAL && e.errno() != SyscallException.ENOENT) throw e;
            }
        }
        deleteQuietly(file);
    }

    private void createEmpty(Path file) {
        try {
            Files.createDirectories(netnsDir);
            try {
                Files.createFile(file);
            } catch (FileAlreadyExistsException e) {
                // a leftover of a container with the same name that crashed: reuse the file if it is
                // not mounted; the mount below fails with a clear error otherwise
            }
        } catch (IOException e) {
            throw new HutchException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HutchException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
