package dev.hutch.registry;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;
import dev.hutch.util.FileLock;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes hutch's credentials file ({@code LIBROOT/auth.json}, docker's {@code {"auths": ...}}
 * form, which {@link Credentials} reads): {@code hutch login} adds an entry, {@code hutch logout}
 * removes it. The file is replaced by a rename from a temp file created 0600, so the password is
 * never readable by others, not even for a moment, and a crash leaves the old file or the new
 * one; a lock file next to it keeps two logins from losing each other's entry. Other keys of the
 * file are kept as they are.
 */
public final class AuthFile {
    /** Docker Hub's key, as docker writes it. */
    static final String DOCKER_HUB_KEY = "https://index.docker.io/v1/";

    private AuthFile() {}

    /** {@code https://host:5000/v2/} → {@code host:5000}; {@code index.docker.io}, {@code registry-1.docker.io} → {@code docker.io}. */
    public static String registryOf(String server) { return Credentials.keyHost(server); }

    public static void store(Path file, String registry, Credentials credentials) {
        FileLock.run(lockFile(file), () -> {
            Map<String, Object> doc = read(file);
            Map<String, Object> auths = auths(doc);
            auths.keySet().removeIf(k -> registry.equals(Credentials.keyHost(k)));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("auth", Base64.getEncoder().encodeToString((credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8)));
            auths.put(registry.equals(Reference.DOCKER_HUB) ? DOCKER_HUB_KEY : registry, entry);
            write(file, doc);
        });
    }

    /** Removes every entry for the registry; false when there was none (docker's "Not logged in"). */
    public static boolean remove(Path file, String registry) {
        return FileLock.with(lockFile(file), () -> {
            if (!Files.exists(file)) return false;
            Map<String, Object> doc = read(file);
            Map<String, Object> auths = auths(doc);
            if (!auths.keySet().removeIf(k -> registry.equals(Credentials.keyHost(k)))) return false;
            write(file, doc);
            return true;
        });
    }

    private static Path lockFile(Path file) { return file.resolveSibling("." + file.getFileName() + ".lock"); }

    private static Map<String, Object> read(Path file) {
        try {
            if (!Files.exists(file)) return new LinkedHashMap<>();
            return new LinkedHashMap<>(Json.parseObject(Files.readString(file)));
        } catch (IOException | RuntimeException e) {
            throw new HutchException("cannot read credentials file " + file + ": " + e.getMessage() + " (fix or remove it)", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> auths(Map<String, Object> doc) {
        Object a = doc.get("auths");
        Map<String, Object> auths = a instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        doc.put("auths", auths);
        return auths;
    }

    private static void write(Path file, Map<String, Object> doc) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
                ByteBuffer buf = ByteBuffer.wrap((Json.pretty(doc) + "\n").getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            // the umask may have taken bits the attribute asked for, never added any: set it exactly
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort
            }
            throw new HutchException("cannot write credentials file " + file + ": " + e.getMessage(), e);
        }
    }
}
