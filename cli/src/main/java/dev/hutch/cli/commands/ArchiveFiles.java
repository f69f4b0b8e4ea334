package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cli.Context;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Where save and export write and where load and import read: a file or the standard streams. A
 * file is written as a hidden temp file beside it and renamed when complete, so a failed or
 * interrupted save never leaves a truncated archive under the name the user gave.
 */
final class ArchiveFiles {
    private ArchiveFiles() {}

    interface Writer { void write(OutputStream out) throws IOException; }

    interface Reader<T> { T read(InputStream in) throws IOException; }

    static void write(Context ctx, String file, String verb, Writer body) throws IOException {
        if (file == null || file.equals("-")) {
            if (ctx.stdoutIsTerminal())
                throw new HutchException("cowardly refusing to write a tar to a terminal: use -o FILE or redirect the output");
            try (Progress progress = Progress.onStderr(verb, ctx)) {
                OutputStream out = new BufferedOutputStream(progress.count(ctx.out()), 1 << 16);
                body.write(out);
                out.flush();
            }
            return;
        }
        Path target = ctx.path(file);
        if (Files.isDirectory(target)) throw new HutchException("-o: " + file + " is a directory (give a file name)");
        if (!Files.isDirectory(target.getParent()))
            throw new HutchException("-o: the directory " + target.getParent() + " does not exist (create it first)");
        Path temp = target.resolveSibling("." + target.getFileName() + ".hutch-" + UUID.randomUUID().toString().substring(0, 8) + ".tmp");
        boolean complete = false;
        try (Progress progress = Progress.onStderr(verb, ctx)) {
            try (OutputStream out = new BufferedOutputStream(progress.count(
                    Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)), 1 << 16)) {
                body.write(out);
            }
            applyCallersUmask(ctx, temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            complete = true;
        } finally {
            if (!complete) Files.deleteIfExists(temp);
        }
    }

    /**
     * The engine service shares one process umask among its callers: a file written for a caller
     * gets the mode that caller's umask gives (0666 minus it), as if hutch had run in its shell.
     */
    private static void applyCallersUmask(Context ctx, Path file) throws IOException {
        if (ctx.umask() == dev.hutch.cli.Invocation.OWN_UMASK) return;
        int mode = 0666 & ~ctx.umask();
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        java.nio.file.attribute.PosixFilePermission[] order = java.nio.file.attribute.PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) if ((mode & (0400 >> i)) != 0) perms.add(order[i]);
        Files.setPosixFilePermissions(file, perms);
    }

    /** Reads FILE, or stdin for null or "-" (refused when stdin is a terminal: nothing would come). */
    static <T> T read(Context ctx, String file, String verb, Reader<T> body) throws IOException {
        if (file == null || file.equals("-")) {
            if (ctx.stdinIsTerminal())
                throw new HutchException(verb + " from stdin, but stdin is a terminal: give a file (" + usageHint(verb) + ") or pipe one in");
            try (Progress progress = Progress.onStderr(verb, ctx)) {
                return body.read(progress.count(new BufferedInputStream(ctx.in(), 1 << 16)));
            }
        }
        if (file.startsWith("http://") || file.startsWith("https://"))
            throw new HutchException(verb + ": hutch does not download; fetch " + file + " first and give the file");
        try (Progress progress = Progress.onStderr(verb, ctx);
             InputStream in = new BufferedInputStream(Files.newInputStream(ctx.path(file)), 1 << 16)) {
            return body.read(progress.count(in));
        } catch (NoSuchFileException e) {
            throw new NotFoundException(verb + ": no such file: " + file);
        }
    }

    private static String usageHint(String verb) {
        return verb.equals("loading") ? "-i FILE" : "hutch import FILE";
    }
}
