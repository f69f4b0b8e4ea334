package dev.hutch.archive;

import dev.hutch.HutchException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Unpacks a layer tar (plain or gzip) into a new directory in overlay's on-disk format, refusing
 * anything that could reach outside that directory. The diff id (sha256 of the uncompressed tar) is
 * computed on the way through, so the tar is read once.
 *
 * <p>Safety, in the order the checks run for each entry: the name is relative with no {@code ..};
 * no parent on the way to it is a symlink (so an earlier {@code a -> /etc} cannot make a later
 * {@code a/passwd} land on the host); a symlink target does not climb above the root; a hardlink
 * points at a regular file already unpacked; no device except overlay's 0/0 whiteout; sizes stay
 * under {@link TarLimits}. On any failure the destination is deleted, so nothing is half-written.
 */
public final class LayerUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    /** @param diffId "sha256:..." of the uncompressed tar; @param size bytes of file content */
    public record Result(String diffId, long size, long entries) {}

    private final TarLimits limits;
    private final boolean root = Privileges.isRoot();

    public LayerUnpacker(TarLimits limits) { this.limits = limits; }

    /** Unpacks into {@code dest}, which must not exist yet. */
    public Result unpack(InputStream raw, Path dest) {
        if (Files.exists(dest, NOFOLLOW)) throw new HutchException("cannot unpack into " + dest + ": it already exists");
        try {
            Files.createDirectories(dest);
            return unpackInto(raw, dest);
        } catch (IOException e) {
            deleteQuietly(dest);
            throw new HutchException("cannot unpack layer archive into " + dest + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(dest);
            throw e;
        }
    }

    private Result unpackInto(InputStream raw, Path dest) throws IOException {
        MessageDigest sha = dev.hutch.util.Sha256.newDigest();
        InputStream in = new BufferedInputStream(raw, TarStreams.BUFFER);
        in = Compression.decompressing(in);
        DigestInputStream digesting = new DigestInputStream(in, sha);
        TarArchiveInputStream tar = new TarArchiveInputStream(digesting);
        List<Object[]> dirTimes = new ArrayList<>();
        long total = 0, count = 0;
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            if (++count > limits.maxEntries())
                throw new UnsafeArchiveException(e.getName(), "is one entry too many (limit " + limits.maxEntries() + ")");
            String rel = SafePaths.normalizeEntryName(e.getName());
            if (rel.isEmpty()) continue; // "./": the root itself
            if (e.isFile()) {
                if (e.getSize() > limits.maxEntryBytes())
                    throw new UnsafeArchiveException(rel, "is " + e.getSize() + " bytes, over the limit of " + limits.maxEntryBytes() + " (set HUTCH_MAX_LAYER_SIZE)");
                total += e.getSize();
                if (total > limits.maxTotalBytes())
                    throw new UnsafeArchiveException(rel, "brings the layer to " + total + " bytes, over the limit of " + limits.maxTotalBytes() + " (set HUTCH_MAX_LAYER_SIZE)");
            }
            Path target = SafePaths.prepareParents(dest, rel);
            String base = target.getFileName().toString();
            if (base.equals(Whiteouts.OPAQUE_MARKER)) {
                Whiteouts.markOverlayOpaque(target.getParent());
                continue;
            }
            if (base.startsWith(Whiteouts.AUFS_META_PREFIX)) continue;
            String hidden = Whiteouts.whitedOutName(base);
            if (hidden != null) {
                if (hidden.isEmpty() || hidden.equals(".") || hidden.equals(".."))
                    throw new UnsafeArchiveException(rel, "is a whiteout of an invalid name");
                Path victim = target.resolveSibling(hidden);
                SafePaths.deleteRecursively(victim);
                Whiteouts.makeOverlayWhiteout(victim);
                // The .wh. entry's owner and time go onto the device, so that writing the layer
                // back (save) gives the same bytes, and so the same diff id, as were loaded.
                setOwner(victim, e);
                Files.setLastModifiedTime(victim, FileTime.from(e.getLastModifiedDate().toInstant()));
                continue;
            }
            write(tar, e, rel, dest, target, dirTimes);
        }
        // The digest must cover the whole tar, including the end-of-archive blocks and padding.
        digesting.transferTo(OutputStream.nullOutputStream());
        for (int i = dirTimes.size() - 1; i >= 0; i--)
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        return new Result("sha256:" + dev.hutch.util.Sha256.hex(sha), total, count);
    }

    private void write(TarArchiveInputStream tar, TarArchiveEntry e, String rel, Path dest, Path target,
                       List<Object[]> dirTimes) throws IOException {
        boolean existingDir = Files.isDirectory(target, NOFOLLOW);
        if (!(e.isDirectory() && existingDir)) SafePaths.deleteRecursively(target);
        FileTime mtime = FileTime.from(e.getLastModifiedDate().toInstant());
        if (e.isDirectory()) {
            if (!existingDir) Files.createDirectory(target);
            setOwnerAndMode(target, e);
            dirTimes.add(new Object[]{target, mtime});
        } else if (e.isSymbolicLink()) {
            SafePaths.checkSymlinkTarget(rel, e.getLinkName());
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            setOwner(target, e);
            // the link's own time (lutimes), so that writing the layer back gives the same tar
            Files.getFileAttributeView(target, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(mtime, null, null);
        } else if (e.isLink()) {
            String linkRel = SafePaths.normalizeEntryName(e.getLinkName());
            Path existing = SafePaths.existingRegularFile(dest, linkRel, rel);
            Files.createLink(target, existing);
        } else if (e.isCharacterDevice() && e.getDevMajor() == 0 && e.getDevMinor() == 0) {
            Whiteouts.makeOverlayWhiteout(target);
        } else if (e.isCharacterDevice() || e.isBlockDevice()) {
            throw new UnsafeArchiveException(rel, "is a device node (" + e.getDevMajor() + "," + e.getDevMinor()
                    + "); layers may not carry devices, the runtime makes /dev");
        } else if (e.isFIFO()) {
            NativeFs.makeFifo(target, e.getMode());
            setOwnerAndMode(target, e);
        } else if (e.isFile()) {
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long copied = TarStreams.copy(tar, out);
                if (copied != e.getSize()) throw new IOException("entry " + rel + " is truncated");
            }
            setOwnerAndMode(target, e);
            Files.setLastModifiedTime(target, mtime);
        } else {
            throw new UnsafeArchiveException(rel, "has an unsupported tar entry type");
        }
    }

    private void setOwnerAndMode(Path p, TarArchiveEntry e) throws IOException {
        setOwner(p, e); // first: chown clears setuid bits, so the mode goes on after it
        Files.setAttribute(p, "unix:mode", e.getMode() & 07777, NOFOLLOW);
    }

    private void setOwner(Path p, TarArchiveEntry e) throws IOException {
        if (!root) return; // an unprivileged test run keeps its own uid
        Files.setAttribute(p, "unix:uid", (int) e.getLongUserId(), NOFOLLOW);
        Files.setAttribute(p, "unix:gid", (int) e.getLongGroupId(), NOFOLLOW);
    }

    private static void deleteQuietly(Path p) {
        try {
            SafePaths.deleteRecursively(p);
        } catch (IOException ignored) {
            // best effort: the caller reports the original failure
        }
    }
}
