package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.OutputStream;

/** One place that decides the tar dialect hutch writes: POSIX (pax) for long names and big numbers. */
final class TarStreams {
    private TarStreams() {}

    static TarArchiveOutputStream newOutput(OutputStream out) {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        return tar;
    }
}
