package dev.hutch.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import dev.hutch.util.Sha256;

import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Downloads one blob into a file, hashing every byte as it is written, and keeps the file only when
 * the sha256 equals the descriptor's digest. A connection that breaks mid-blob is resumed with an
 * HTTP Range from the bytes already written and hashed (twice at most); a registry that ignores the
 * Range sends the whole blob again, and the file and hash start over.
 */
final class BlobFetcher {
    private static final int RESUMES = 2;
    private final RegistryClient client;
    private final String repository;

    BlobFetcher(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
    }

    /** Fetches into {@code file} (created or emptied); on any failure the file is deleted. */
    void fetch(Descriptor blob, Path file, LongConsumer progress) throws InterruptedException {
        boolean ok = false;
        try {
            MessageDigest sha = Sha256.newDigest();
            long written = 0;
            IOException lastBreak = null;
            for (int attempt = 0; attempt <= RESUMES; attempt++) {
                BlobDownload.Response r = client.blob(repository, blob.digest(), written);
                if (r.status() == 200 && written > 0) { // the Range was ignored: start over
                    sha.reset();
                    written = 0;
                }
                StandardOpenOption mode = written == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
                try (InputStream in = r.body();
                     OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
                    byte[] buf = new byte[128 * 1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (blob.size() >= 0 && written + n > blob.size()) throw tooLong(blob);
                        out.write(buf, 0, n);
                        sha.update(buf, 0, n);
                        written += n;
                        progress.accept(written);
                    }
                    lastBreak = null;
                } catch (IOException broke) {
                    lastBreak = broke;
                    continue;
                }
                break;
            }
            if (lastBreak != null) throw client.unreachable(lastBreak);
            String actual = "sha256:" + Sha256.hex(sha);
            if (!actual.equals(blob.digest()) || (blob.size() >= 0 && written != blob.size()))
                throw new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: blob " + blob.digest() + " arrived as "
                        + actual + " (" + written + " bytes, " + blob.size() + " expected); nothing of it was stored (the registry or something between serves damaged data)");
            ok = true;
        } finally {
            if (!ok) deleteQuietly(file);
        }
    }

    /** Small blobs (configs, manifests of an index) straight into memory, verified the same way. */
    byte[] fetchSmall(Descriptor blob, Path scratch) throws InterruptedException {
        try {
            fetch(blob, scratch, n -> { });
            return Files.readAllBytes(scratch);
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.PROTOCOL, "cannot read back " + scratch + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
    }

    private static RegistryException tooLong(Descriptor blob) {
        return new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: blob " + blob.digest()
                + " is longer than the " + blob.size() + " bytes its manifest says; nothing of it was stored");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // under the pull's temp dir, which the puller removes as a whole
        }
    }
}
