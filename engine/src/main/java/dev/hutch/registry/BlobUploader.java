package dev.hutch.registry;

import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The blob calls of the distribution push protocol for one repository: {@code HEAD} to ask
 * whether a blob is there, the cross-repository mount, and uploads, monolithic ({@code POST} for
 * a session, then one {@code PUT ?digest=} with the bytes) or chunked ({@code PATCH} with a
 * {@code Content-Range}, following the {@code Location} the registry returns each time, then the
 * closing {@code PUT ?digest=}). Every call asks for the push scope; an answer other than the
 * protocol's is one line naming the registry's own error.
 */
final class BlobUploader {
    private final RegistryClient client;
    private final String repository;
    private final String scope;

    BlobUploader(RegistryClient client, String repository) {
        this.client = client;
        this.repository = repository;
        this.scope = RegistryClient.pushScope(repository);
    }

    /** Whether the repository has this blob already. */
    boolean exists(String digest) throws InterruptedException {
        HttpResponse<byte[]> r = client.send("/v2/" + repository + "/blobs/" + digest, scope,
                b -> b.method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) return true;
        if (r.statusCode() == 404) return false;
        throw failed(r, "the check for blob " + digest);
    }

    /**
     * Asks the registry to link a blob of another of its repositories into this one. Null when it
     * did (201); otherwise the upload session it opened instead (202), for the caller to upload into.
     */
    Session mount(String digest, String from) throws InterruptedException {
        HttpResponse<byte[]> r = client.send("/v2/" + repository + "/blobs/uploads/?mount=" + enc(digest) + "&from=" + enc(from),
                scope + " " + RegistryClient.pullScope(from), b -> b.POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 201) return null;
        if (r.statusCode() == 202) return new Session(location(r), 0);
        throw failed(r, "the mount of blob " + digest + " from " + from);
    }

    /** Opens an upload session. */
    Session start() throws InterruptedException {
        HttpResponse<byte[]> r = client.send("/v2/" + repository + "/blobs/uploads/", scope,
                b -> b.POST(HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 202) throw failed(r, "the start of an upload");
        return new Session(location(r), 0);
    }

    /** An upload in progress: where to send the next bytes, and how many the registry has. */
    final class Session {
        private String location;
        private long offset;

        private Session(String location, long offset) {
            this.location = location;
            this.offset = offset;
        }

        long offset() { return offset; }

        /** Sends one chunk ({@code PATCH}, {@code Content-Range: start-end}); the registry's next Location is followed. */
        void patch(byte[] data, int len) throws InterruptedException {
            if (len == 0) return;
            String range = offset + "-" + (offset + len - 1);
            HttpResponse<byte[]> r = client.send(location, scope, b -> b.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(data, 0, len))
                    .header("Content-Type", "application/octet-stream").header("Content-Range", range), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 202) throw failed(r, "the chunk " + range + " of an upload");
            offset += len;
            location = location(r);
        }

        /**
         * Sends the whole blob as one streamed {@code PATCH} ({@link StreamedPatch}) written by
         * {@code body} as it goes; the registry's next Location is followed. The blob is then
         * closed with {@link #finish} and the digest computed on the way.
         */
        void stream(StreamedPatch.Body body) throws InterruptedException {
            long[] written = new long[1];
            StreamedPatch.Answer a = client.patchStreamed(location, scope, out -> {
                written[0] = 0;
                body.writeTo(new java.io.FilterOutputStream(out) {
                    @Override public void write(byte[] b, int off, int len) throws java.io.IOException {
                        out.write(b, off, len);
                        written[0] += len;
                    }
                });
            });
            if (a.status() != 202) throw failed(a.status(), a.body(), "the streamed upload of a blob");
            offset += written[0];
            String next = a.header("Location");
            if (next == null) throw new RegistryException(RegistryException.Kind.PROTOCOL,
                    client.registry() + " answered " + a.status() + " to an upload without a Location header");
            location = next;
        }

        /** Closes the upload with the blob's digest ({@code PUT ?digest=}), with the last bytes or none. */
        void finish(String digest, byte[] data, int len) throws InterruptedException {
            String url = location + (location.contains("?") ? "&" : "?") + "digest=" + enc(digest);
            HttpResponse<byte[]> r = client.send(url, scope, b -> b.PUT(HttpRequest.BodyPublishers.ofByteArray(data, 0, len))
                    .header("Content-Type", "application/octet-stream"), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 201) throw failed(r, "the upload of blob " + digest);
            offset += len;
        }

        /** Drops an upload that will not be finished, so the registry need not wait for it to expire. */
        void cancel() {
            try {
                client.send(location, scope, b -> b.DELETE(), HttpResponse.BodyHandlers.discarding());
            } catch (RuntimeException | InterruptedException ignored) {
                // the registry purges abandoned uploads itself
            }
        }
    }

    /** A blob small enough for memory: a session and one PUT with all of it. */
    void uploadWhole(Session session, String digest, byte[] data, int len) throws InterruptedException {
        (session != null ? session : start()).finish(digest, data, len);
    }

    private String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElseThrow(() -> new RegistryException(RegistryException.Kind.PROTOCOL,
                client.registry() + " answered " + r.statusCode() + " to an upload without a Location header"));
    }

    /** One line: what failed, the status, and the registry's own error code and message when it sent them. */
    RegistryException failed(HttpResponse<byte[]> r, String what) { return failed(r.statusCode(), r.body(), what); }

    RegistryException failed(int status, byte[] body, String what) {
        String detail = registryErrors(body);
        RegistryException.Kind kind = status == 401 || status == 403 ? RegistryException.Kind.UNAUTHORIZED
                : status == 404 ? RegistryException.Kind.NOT_FOUND : RegistryException.Kind.PROTOCOL;
        return new RegistryException(kind, client.registry() + " answered " + status + " to " + what + " in " + repository
                + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** {"errors":[{"code":"DENIED","message":"..."}]} → "denied: ...". */
    static String registryErrors(byte[] body) {
        if (body == null || body.length == 0 || body.length > 64 * 1024) return "";
        try {
            List<Object> errors = JsonReader.of(Json.parseObject(new String(body, StandardCharsets.UTF_8))).list("errors");
            StringBuilder sb = new StringBuilder();
            for (Object e : errors) {
                JsonReader r = JsonReader.of(e);
                if (!sb.isEmpty()) sb.append("; ");
                sb.append(r.string("code", "").toLowerCase().replace('_', ' ')).append(": ").append(r.string("message", ""));
            }
            return sb.toString().replace('\n', ' ');
        } catch (RuntimeException notJson) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            return text.length() < 200 && !text.contains("\n") ? text : "";
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
