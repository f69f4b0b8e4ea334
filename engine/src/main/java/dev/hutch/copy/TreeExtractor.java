package dev.hutch.copy;

import dev.hutch.HutchException;
import dev.hutch.archive.SafePaths;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A tar unpacked into a directory of a root (a container's, or on the host the destination
 * itself), the way docker's archive PUT and {@code docker cp} do: every entry's parent is resolved
 * inside the root ({@link ScopedPath}), so neither a symlink already there nor one the archive
 * itself makes can lead a later entry out of it; an existing file is replaced, an existing
 * directory merged. It unpacks as it reads (an archive of any size in constant memory): when the
 * archive breaks, the entries finished before stay, and the file it broke in is removed.
 */
public final class TreeExtractor {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /**
     * Who owns what is written: the archive's uid and gid (cp -a, the API's copyUIDGID), or one
     * fixed owner (docker cp's default: the container's root inside it, the caller on the host).
     */
    public record Owners(boolean keepArchived, int uid, int gid) {
        public static Owners fromArchive() { return new Owners(true, -1, -1); }

        public static Owners fixed(int uid, int gid) { return new Owners(false, uid, gid); }
    }

    private final Path root;
    private final Owners owners;
    private final boolean noOverwriteDirNonDir;

    public TreeExtractor(Path root, Owners owners, boolean noOverwriteDirNonDir) {
        this.root = root;
        this.owners = owners;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
    }

    /** Unpacks {@code tarStream} into {@code dirInRoot}, which must be a directory already. */
    public void extract(InputStream tarStream, String dirInRoot) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        record Dir(Path path, long mtime) {}
        List<Dir> dirs = new ArrayList<>();
        for (TarArchiveEntry e; (e = tar.getNextTarEntry()) != null; ) {
            String name = SafePaths.normalizeEntryName(e.getName());
            if (name.isEmpty()) continue; // "." : the destination itself, left as it is
            int slash = name.lastIndexOf('/');
            String parentPath = dirInRoot + "/" + (slash < 0 ? "" : name.substring(0, slash));
            ScopedPath parent = ScopedPath.resolve(root, parentPath, true);
            Files.createDirectories(parent.host());
            Path target = parent.host().resolve(slash < 0 ? name : name.substring(slash + 1));
            String shown = parent.inContainer().equals("/") ? "/" + target.getFileName() : parent.inContainer() + "/" + target.getFileName();
            boolean exists = Files.exists(target, NOFOLLOW), isDir = exists && Files.isDirectory(target, NOFOLLOW);
            if (e.isDirectory()) {
                if (exists && !isDir) {
                    if (noOverwriteDirNonDir) throw new HutchException("cannot overwrite non-directory " + shown + " with a directory");
                    Files.delete(target);
                }
                if (!isDir) Files.createDirectory(target);
                metadata(target, e);
                dirs.add(new Dir(target, e.getModTime().getTime()));
                continue;
            }
            if (isDir) {
                if (noOverwriteDirNonDir) throw new HutchException("cannot overwrite directory " + shown + " with a non-directory");
                SafePaths.deleteRecursively(target);
            } else if (exists) {
                Files.delete(target);
            }
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                String linkName = SafePaths.normalizeEntryName(e.getLinkName());
                Path source = ScopedPath.resolve(root, dirInRoot + "/" + linkName, false).host();
                Files.createLink(target, source);
                continue; // the same inode as an entry already written
            } else if (e.isFile()) {
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    tar.transferTo(out);
                } catch (IOException | RuntimeException broken) {
                    // the archive (or the stream bringing it) broke inside this file: no half of it stays
                    Files.deleteIfExists(target);
                    throw broken;
                }
            } else {
                continue; // devices and fifos are not copied (docker cp needs neither)
            }
            metadata(target, e);
            if (!e.isSymbolicLink()) Files.setLastModifiedTime(target, FileTime.fromMillis(e.getModTime().getTime()));
        }
        // directory times last: every file written into them changed them
        for (int i = dirs.size() - 1; i >= 0; i--) Files.setLastModifiedTime(dirs.get(i).path(), FileTime.fromMillis(dirs.get(i).mtime()));
    }

    private void metadata(Path target, TarArchiveEntry e) throws IOException {
        int uid = owners.keepArchived() ? (int) e.getLongUserId() : owners.uid();
        int gid = owners.keepArchived() ? (int) e.getLongGroupId() : owners.gid();
        Files.setAttribute(target, "unix:uid", uid, NOFOLLOW);
        Files.setAttribute(target, "unix:gid", gid, NOFOLLOW);
        // after chown, which clears set-id bits
        if (!e.isSymbolicLink()) Files.setAttribute(target, "unix:mode", e.getMode() & 07777);
    }
}
