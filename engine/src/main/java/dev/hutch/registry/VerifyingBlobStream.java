package dev.hutch.registry;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * A layer blob as one stream for the layer store to unpack while it downloads: every byte read is
 * hashed and counted; a connection that breaks mid-blob is resumed with an HTTP Range from the
 * bytes already read (twice at most; a registry that ignores the Range cannot be spliced, and the
 * pull fails cleanly). {@link #verifyToEnd} reads what the unpacker left (tar padding, gzip
 * trailer) and refuses a blob whose size or sha256 is not the manifest's: the store calls it
 * before it publishes the layer, so nothing unverified is ever stored.
 */
final class VerifyingBlobStream extends InputStream {
    private static final int RESUMES = 2;
    private final RegistryClient client;
    private final String repository;
    private final Descriptor blob;
    private final LongConsumer progress;
    private final MessageDigest sha;
    private InputStream in;
    private long read;
    private int resumes;

    VerifyingBlobStream(RegistryClient client, String repository, Descriptor blob, LongConsumer progress) throws InterruptedException {
        this.client = client;
        this.repository = repository;
        this.blob = blob;
        this.progress = progress;
        this.sha = dev.hutch.util.Sha256.newDigest();
        this.in = client.blob(repository, blob.digest(), 0).body();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        // A socket read does not end on an interrupt (the pull was cancelled, or another layer
        // failed): look before each one, which on a flowing connection is every few milliseconds.
        if (Thread.currentThread().isInterrupted())
            throw new java.io.InterruptedIOException("interrupted while downloading " + blob.digest());
        while (true) {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException broke) {
                resume(broke);
                continue;
            }
            if (n > 0) {
                if (blob.size() >= 0 && read + n > blob.size()) throw mismatch("is longer than the " + blob.size() + " bytes its manifest says");
                sha.update(b, off, n);
                read += n;
                progress.accept(read);
            }
            return n;
        }
    }

    private void resume(IOException broke) throws IOException {
        RegistryClient.close(in);
        if (resumes++ >= RESUMES) throw client.unreachable(broke);
        BlobDownload.Response r;
        try {
            r = client.blob(repository, blob.digest(), read);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while resuming " + blob.digest());
        }
        if (r.status() != 206) {
            RegistryClient.close(r.body());
            throw client.unreachable(broke); // the whole blob again cannot be spliced into this unpack
        }
        in = r.body();
    }

    /** Reads to the end and checks size and digest; throws the one-line mismatch otherwise. */
    void verifyToEnd() {
        try {
            byte[] rest = new byte[64 * 1024];
            while (read(rest, 0, rest.length) >= 0) { /* tar padding, gzip trailer */ }
        } catch (IOException e) {
            throw client.unreachable(e);
        }
        String actual = "sha256:" + dev.hutch.util.Sha256.hex(sha);
        if (!actual.equals(blob.digest()) || (blob.size() >= 0 && read != blob.size()))
            throw mismatch("arrived as " + actual + " (" + read + " bytes, " + blob.size() + " expected)");
    }

    private RegistryException mismatch(String what) {
        return new RegistryException(RegistryException.Kind.DIGEST_MISMATCH, "digest mismatch: blob " + blob.digest() + " " + what
                + "; nothing of it was stored (the registry or something between serves damaged data)");
    }

    @Override
    public void close() { RegistryClient.close(in); }
}
