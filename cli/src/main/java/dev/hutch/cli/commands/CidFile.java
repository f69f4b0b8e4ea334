package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * docker's {@code --cidfile}: the file is created empty (exclusively) before the container, so a
 * file left by another run is refused rather than overwritten, and gets the id once the container
 * exists; a run that fails removes it again.
 */
final class CidFile {
    private final Path path;

    private CidFile(Path path) { this.path = path; }

    static CidFile reserve(Path path) {
        try {
            Files.write(path, new byte[0], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new CidFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidSpecException("--cidfile", path, "exists: make sure the other container isn't running or delete the file");
        } catch (IOException e) {
            throw new InvalidSpecException("--cidfile", path, "cannot be created (" + e.getMessage() + ")");
        }
    }

    void write(String id) {
        try {
            Files.writeString(path, id, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new HutchException("cannot write the container ID to " + path + ": " + e.getMessage(), e);
        }
    }

    void discard() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // it stays empty: docker leaves it too when it cannot remove it
        }
    }
}
