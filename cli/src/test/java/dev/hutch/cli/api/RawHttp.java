package dev.hutch.cli.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One kept-alive HTTP/1.1 connection to a Docker API socket, byte by byte as a client sends it:
 * for what the docker CLI cannot do on purpose (a tar that breaks halfway, two requests at the
 * same moment, the next request on the same connection). Answers with a Content-Length body only.
 */
final class RawHttp implements AutoCloseable {
    record Answer(int status, String body) {}

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(Path socket) throws IOException {
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        in = Channels.newInputStream(channel);
        out = Channels.newOutputStream(channel);
    }

    /** Sends the request (with a Content-Length body) without reading the answer. */
    void send(String method, String path, String contentType, byte[] body) throws IOException {
        String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The next answer on the connection: its status and its Content-Length body. */
    Answer read() throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        while (!h.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("the connection ended inside an answer's head: " + h);
            h.write(c);
        }
        String head = h.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.split("\r\n"))
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        return new Answer(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    Answer exchange(String method, String path, String contentType, byte[] body) throws IOException {
        send(method, path, contentType, body);
        return read();
    }

    @Override
    public void close() throws IOException { channel.close(); }
}
