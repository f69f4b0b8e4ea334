package dev.hutch.util;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Recursive delete without following links. Plain code rather than commons-io here because it runs
 * on every {@code rm} and every {@code run --rm}, where each library class loaded costs start-up.
 */
public final class Dirs {
    private Dirs() {}

    public static void deleteRecursively(Path p) {
        try {
            delete(p);
        } catch (NoSuchFileException gone) {
            // already gone: the goal
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + p + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path child : ds) delete(child);
            }
        }
        Files.deleteIfExists(p);
    }
}
