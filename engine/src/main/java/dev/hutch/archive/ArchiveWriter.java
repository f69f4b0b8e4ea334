package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Set;

/**
 * An image archive (docker's or an OCI layout) written straight to its destination, entry by
 * entry: small documents, and layers streamed from the store. Parent directories are added as
 * entries the first time a name needs them. Files are 0644, directories 0755, owned by root, timed
 * now (whole seconds), as a staged copy of the same files would have been archived.
 */
public final class ArchiveWriter {
    /** Writes exactly the size given to {@link #stream}. */
    public interface Body { void writeTo(OutputStream out) throws IOException; }

    private final TarArchiveOutputStream tar;
    private final long mtime = System.currentTimeMillis() / 1000 * 1000;
    private final Set<String> dirs = new HashSet<>();

    public ArchiveWriter(OutputStream out) { this.tar = TarStreams.newOutput(out); }

    public void file(String name, byte[] content) throws IOException {
        stream(name, content.length, out -> out.write(content));
    }

    /** An entry of {@code size} bytes that {@code body} writes; a body that writes more or less fails. */
    public void stream(String name, long size, Body body) throws IOException {
        parents(name);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, 0644);
        e.setSize(size);
        tar.putArchiveEntry(e);
        body.writeTo(new FilterOutputStream(tar) {
            @Override public void write(byte[] b, int off, int len) throws IOException { tar.write(b, off, len); }
            @Override public void flush() { }  // the entry's records go out with the archive's
            @Override public void close() { }   // the archive outlives the entry
        });
        tar.closeArchiveEntry(); // fails if the body wrote less than size
    }

    /** Ends the archive and pushes it out; the destination stays open. */
    public void finish() throws IOException { tar.finish(); }

    private void parents(String name) throws IOException {
        for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
            String dir = name.substring(0, i + 1);
            if (dirs.add(dir)) {
                tar.putArchiveEntry(entry(dir, TarConstants.LF_DIR, 0755));
                tar.closeArchiveEntry();
            }
        }
    }

    private TarArchiveEntry entry(String name, byte type, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode(mode);
        e.setUserId(0);
        e.setGroupId(0);
        e.setModTime(mtime);
        return e;
    }
}
