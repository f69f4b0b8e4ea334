package dev.hutch.copy;

import dev.hutch.NotFoundException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What docker's archive API says of a path (its X-Docker-Container-Path-Stat header): name, size,
 * mode in Go's os.FileMode bits (the docker CLI tests IsDir and ModeSymlink on them), mtime, and
 * for a symlink where it leads inside the container.
 *
 * @param unixMode st_mode as stat(2) gives it
 */
public record PathStat(String name, long size, int unixMode, Instant mtime, String linkTarget) {
    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000, S_IFCHR = 0020000,
            S_IFBLK = 0060000, S_IFIFO = 0010000, S_IFSOCK = 0140000;
    // Go's os.FileMode type and special bits
    private static final long GO_DIR = 1L << 31, GO_SYMLINK = 1L << 27, GO_DEVICE = 1L << 26, GO_PIPE = 1L << 25,
            GO_SOCKET = 1L << 24, GO_SETUID = 1L << 23, GO_SETGID = 1L << 22, GO_CHARDEV = 1L << 21, GO_STICKY = 1L << 20;

    /** lstat of {@code p}; {@code shownAs} names it in the error. */
    public static PathStat of(Path p, String name, String linkTarget, String shownAs) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            return new PathStat(name, (Long) a.get("size"), (Integer) a.get("mode"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                    linkTarget);
        } catch (NoSuchFileException e) {
            throw notFound(shownAs);
        } catch (IOException e) {
            throw new dev.hutch.HutchException("cannot stat " + shownAs + ": " + e.getMessage(), e);
        }
    }

    public static NotFoundException notFound(String shownAs) {
        return new NotFoundException("Could not find the file " + shownAs);
    }

    public boolean isDir() { return (unixMode & S_IFMT) == S_IFDIR; }

    public boolean isSymlink() { return (unixMode & S_IFMT) == S_IFLNK; }

    /** Go's os.FileMode for this st_mode. */
    public long goMode() {
        long m = unixMode & 0777;
        switch (unixMode & S_IFMT) {
            case S_IFDIR -> m |= GO_DIR;
            case S_IFLNK -> m |= GO_SYMLINK;
            case S_IFCHR -> m |= GO_DEVICE | GO_CHARDEV;
            case S_IFBLK -> m |= GO_DEVICE;
            case S_IFIFO -> m |= GO_PIPE;
            case S_IFSOCK -> m |= GO_SOCKET;
            default -> { }
        }
        if ((unixMode & 04000) != 0) m |= GO_SETUID;
        if ((unixMode & 02000) != 0) m |= GO_SETGID;
        if ((unixMode & 01000) != 0) m |= GO_STICKY;
        return m;
    }

    /** The header's value: base64 of {"name","size","mode","mtime","linkTarget"}. */
    public String header() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("size", size);
        m.put("mode", goMode());
        m.put("mtime", mtime.toString());
        m.put("linkTarget", linkTarget == null ? "" : linkTarget);
        return Base64.getEncoder().encodeToString(dev.hutch.json.Json.write(m).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
