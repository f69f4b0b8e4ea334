package dev.hutch.cli.api;

import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;

/**
 * HTTP/1.1 on a unix socket for the Docker Engine API, served inside the engine service. Our own
 * small server on junixsocket (already the service's transport) rather than Jetty: the API's
 * attach and exec will hijack the connection (HTTP 101, then raw bytes both ways), which is a
 * plain socket handed over here and a fight against the container in Jetty; and the service
 * stays one dependency lighter. One thread per connection, kept alive between requests as the
 * docker CLI's Go client expects.
 *
 * <p>Root only, like the engine socket: mode 0600, and SO_PEERCRED uid 0 on every connection.
 */
public final class DockerApiServer implements AutoCloseable {
    /** Counts calls in flight for the service's idle timer and its stop. */
    public interface Activity {
        void begin();

        void end();
    }

    private final Path socket;
    private final DockerApi api;
    private final Activity activity;
    private final AFUNIXServerSocket server;
    private volatile boolean closed;

    private DockerApiServer(Path socket, DockerApi api, Activity activity, AFUNIXServerSocket server) {
        this.socket = socket;
        this.api = api;
        this.activity = activity;
        this.server = server;
    }

    /** {@code $HUTCH_DOCKER_SOCKET}, else {@code ${HUTCH_RUN_ROOT:-/var/run/hutch}/docker.sock}; null for "off". */
    public static Path socketPath(Map<String, String> env) {
        String given = env.get("HUTCH_DOCKER_SOCKET");
        if ("off".equals(given)) return null;
        Path p = given != null && !given.isEmpty() ? Path.of(given)
                : Path.of(env.getOrDefault("HUTCH_RUN_ROOT", "/var/run/hutch"), "docker.sock");
        return p.toAbsolutePath();
    }

    /**
     * Binds the socket and starts accepting. Another live server on the path is left alone (and
     * this service serves no API); a socket a killed service left is replaced.
     *
     * @return the server, or null when another one answers there
     */
    public static DockerApiServer start(Path socket, Map<String, String> env, Activity activity) throws IOException {
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir))
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        if (Files.exists(socket)) {
            if (answers(socket)) return null;
            Files.delete(socket);
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.bindOn(AFUNIXSocketAddress.of(socket.toFile()));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        DockerApiServer s = new DockerApiServer(socket, new DockerApi(env), activity, server);
        Thread t = new Thread(s::acceptLoop, "hutch-docker-api");
        t.setDaemon(true);
        t.start();
        return s;
    }

    public Path socket() { return socket; }

    private static boolean answers(Path socket) {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket.toFile()))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void acceptLoop() {
        long n = 0;
        while (!closed) {
            AFUNIXSocket client;
            try {
                client = server.accept();
            } catch (SocketException e) {
                if (!closed) log("accept: " + e.getMessage());
                return;
            } catch (IOException e) {
                log("accept: " + e.getMessage());
                continue;
            }
            Thread t = new Thread(() -> serve(client), "hutch-docker-api-" + (++n));
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(AFUNIXSocket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream(), 1 << 16);
            long uid = client.getPeerCredentials().getUid();
            if (uid != 0) {
                HttpRequest.read(in);
                new HttpResponse(out, false).error(new ApiError(403, "hutch's Docker API accepts only root (uid " + uid
                        + "); run docker as root"));
                return;
            }
            while (!closed) {
                HttpRequest request;
                try {
                    request = HttpRequest.read(in, api::streamsBody);
                } catch (HttpRequest.BadRequest e) {
                    new HttpResponse(out, false).error(ApiError.badParameter(e.getMessage()));
                    return;
                }
                if (request == null) return;
                activity.begin();
                boolean keep;
                try {
                    HttpResponse response = new HttpResponse(out, request.method().equals("HEAD"), new Hijack.Socket(in, client::shutdownOutput));
                    keep = api.answer(request, response) && !response.hijacked();
                    // what a handler left of a streamed body (an archive refused halfway): read and
                    // dropped, so the client sends it all and reads the answer, and the next request
                    // starts where it should
                    if (keep) request.drainBody();
                } finally {
                    activity.end();
                }
                if (!keep || !request.keepAlive()) return;
            }
        } catch (IOException e) {
            // the client went away mid-request: nothing to answer
        }
    }

    /** Stops accepting and removes the socket; connections in flight end with the service. */
    @Override
    public void close() {
        closed = true;
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log("cannot remove " + socket + ": " + e.getMessage());
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // accept() ends either way
        }
    }

    static void log(String message) {
        System.err.println(Instant.now() + " hutch docker api[" + ProcessHandle.current().pid() + "]: " + message);
    }
}
