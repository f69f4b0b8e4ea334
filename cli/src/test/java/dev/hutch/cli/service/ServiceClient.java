package dev.hutch.cli.service;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A test client that speaks the engine service's wire format as hutch-client does: its "fds 0, 1,
 * 2" are /dev/null and two files of the test, passed with SCM_RIGHTS in the hello frame, so what
 * the command prints is read back from those files, never from the socket.
 */
final class ServiceClient implements AutoCloseable {
    /** The reply: 'X' with the exit code, 'R' (retry), or 'E' when the connection ended without one. */
    record Reply(char type, int code, String out, String err) {
        @Override public String toString() { return type + " " + code + ", out: " + out + ", err: " + err; }
    }

    private final AFUNIXSocket socket;
    private final Path outFile, errFile;

    private ServiceClient(AFUNIXSocket socket, Path outFile, Path errFile) {
        this.socket = socket;
        this.outFile = outFile;
        this.errFile = errFile;
    }

    /** Connects and sends the whole request (H .. G); the command is running when this returns. */
    static ServiceClient send(Path socketPath, Path cwd, Map<String, String> env, Path scratch, List<String> args) throws IOException {
        return send(socketPath, cwd, env, scratch, Path.of("/dev/null"), "022", args);
    }

    /** The same with the given file as the caller's stdin, and the given umask (octal). */
    static ServiceClient send(Path socketPath, Path cwd, Map<String, String> env, Path scratch, Path stdin, String umask,
                              List<String> args) throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Path out = scratch.resolve("out-" + id), err = scratch.resolve("err-" + id);
        AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socketPath.toFile()));
        try (FileInputStream in = new FileInputStream(stdin.toFile());
             FileOutputStream o = new FileOutputStream(out.toFile()); FileOutputStream e = new FileOutputStream(err.toFile())) {
            OutputStream w = s.getOutputStream();
            s.setOutboundFileDescriptors(in.getFD(), o.getFD(), e.getFD());
            Frame.write(w, 'H', "1");
            Frame.write(w, 'T', "000");
            for (String a : args) Frame.write(w, 'A', a);
            for (Map.Entry<String, String> v : env.entrySet()) Frame.write(w, 'E', v.getKey() + "=" + v.getValue());
            Frame.write(w, 'C', cwd.toString());
            Frame.write(w, 'U', umask);
            Frame.write(w, 'G', "");
        } // our copies close; the service holds its own
        return new ServiceClient(s, out, err);
    }

    static Reply call(Path socketPath, Path cwd, Map<String, String> env, Path scratch, String... args) throws IOException {
        try (ServiceClient c = send(socketPath, cwd, env, scratch, List.of(args))) {
            return c.reply();
        }
    }

    void signal(int signo) throws IOException { Frame.write(socket.getOutputStream(), 'S', Integer.toString(signo)); }

    /** What the command printed on its stdout so far. */
    String outSoFar() throws IOException { return Files.readString(outFile, StandardCharsets.UTF_8); }

    /** {@link #reply}, giving up after {@code seconds} (then 'E'): a dropped signal must not hang the test. */
    Reply replyWithin(int seconds) throws IOException {
        socket.setSoTimeout(seconds * 1000);
        return reply();
    }

    /** Waits for the service's answer. */
    Reply reply() throws IOException {
        InputStream in = socket.getInputStream();
        Frame f;
        try {
            f = Frame.read(in);
        } catch (IOException e) {
            f = null; // reset by a killed service: the same as EOF for the client
        }
        String out = Files.readString(outFile, StandardCharsets.UTF_8), err = Files.readString(errFile, StandardCharsets.UTF_8);
        if (f == null) return new Reply('E', -1, out, err);
        return new Reply(f.type(), f.type() == 'X' ? Integer.parseInt(f.text()) : -1, out, err);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
