package dev.hutch.cli.api;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP framing, the routes and the log frames, without a socket or root. */
class HttpAndRoutingTest {
    static ByteArrayInputStream bytes(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)); }

    @Test
    void readsKeptAliveRequestsWithLengthAndChunkedBodies() throws IOException {
        var in = bytes("POST /v1.41/containers/create?name=a%2Fb&x HTTP/1.1\r\nHost: api\r\nContent-Length: 2\r\n\r\n{}"
                + "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2;ext\r\nde\r\n0\r\n\r\n");
        HttpRequest a = HttpRequest.read(in);
        assertEquals("/v1.41/containers/create", a.path());
        assertEquals("a/b", a.query().get("name"));
        assertEquals("", a.query().get("x"));
        assertEquals("{}", a.bodyText());
        assertTrue(a.keepAlive());
        HttpRequest b = HttpRequest.read(in);
        assertEquals("abcde", b.bodyText());
        assertEquals(false, b.keepAlive());
        assertNull(HttpRequest.read(in), "a clean end of stream");
    }

    @Test
    void aStreamedBodyPassesAnySizeWithoutReadingPastItsEndAndIsDrainedForTheNextRequest() throws IOException {
        HttpRequest.Streamed loads = (m, p) -> p.endsWith("/images/load");
        byte[] big = new byte[(HttpRequest.MAX_BODY) + 12345]; // over the cap of a body read whole
        new java.util.Random(7).nextBytes(big);
        var wire = new ByteArrayOutputStream();
        wire.write(("POST /v1.41/images/load HTTP/1.1\r\nContent-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        wire.write(big);
        wire.write("POST /images/load HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        for (int off = 0; off < big.length; off += 70000) { // chunks of a size no buffer lines up with
            int n = Math.min(70000, big.length - off);
            wire.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.write(big, off, n);
            wire.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        wire.write("0\r\nX-Trailer: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        wire.write("POST /images/load HTTP/1.1\r\nContent-Length: 100\r\n\r\nhalf".getBytes(StandardCharsets.ISO_8859_1));
        wire.write("GET /_ping HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)); // inside the 100 bytes above
        var in = new java.io.BufferedInputStream(new ByteArrayInputStream(wire.toByteArray()));

        HttpRequest a = HttpRequest.read(in, loads);
        assertEquals(0, a.body().length, "nothing read whole");
        assertArrayEquals(big, a.bodyStream().readAllBytes(), "every byte, in order, and the stream ends at the body's end");
        a.drainBody(); // nothing left: a no-op
        HttpRequest b = HttpRequest.read(in, loads);
        byte[] head = b.bodyStream().readNBytes(1000);
        assertArrayEquals(java.util.Arrays.copyOf(big, 1000), head, "chunked: the first bytes");
        b.drainBody(); // its handler stopped early: the rest is skipped, trailers included
        HttpRequest c = HttpRequest.read(in, loads);
        assertEquals("/images/load", c.path(), "the next request starts where it should");
        assertThrows(HttpRequest.BadRequest.class, () -> c.bodyStream().readAllBytes(), "a body that ends early is refused");

        HttpRequest json = HttpRequest.read(bytes("POST /containers/create HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"), loads);
        assertEquals("{}", json.bodyText(), "other routes read their body whole, capped");
        assertThrows(HttpRequest.BadRequest.class, () -> HttpRequest.read(bytes("POST /containers/create HTTP/1.1\r\nContent-Length: "
                + (HttpRequest.MAX_BODY + 1) + "\r\n\r\n"), loads), "the cap still holds for them");
        ApiRouter r = new ApiRouter().add("POST", "/containers/create", x -> { }).addStreamed("POST", "/images/load", x -> { });
        assertTrue(r.streamsBody("POST", "/v1.41/images/load"));
        assertEquals(false, r.streamsBody("POST", "/containers/create"));
        assertEquals(false, r.streamsBody("POST", "/v9.99/images/load"), "a refused version reads no stream");
    }

    @Test
    void malformedRequestsAreRefused() {
        assertThrows(HttpRequest.BadRequest.class, () -> HttpRequest.read(bytes("GARBAGE\r\n\r\n")));
        assertThrows(HttpRequest.BadRequest.class, () -> HttpRequest.read(bytes("GET / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")));
        assertThrows(HttpRequest.BadRequest.class, () -> HttpRequest.read(bytes("GET / HTTP/1.1\r\nno colon\r\n\r\n")));
    }

    @Test
    void routesVersionedAndUnversionedPathsAndRefusesTooNewVersions() {
        ApiRouter.Handler h = c -> { };
        ApiRouter r = new ApiRouter().add("GET", "/containers/([^/]+)/json", h).add("GET", "/_ping", h);
        assertEquals(List.of("abc"), r.route("GET", "/v1.41/containers/abc/json").params());
        assertEquals(List.of("abc"), r.route("GET", "/containers/abc/json").params());
        assertEquals(List.of("abc"), r.route("GET", "/v1.24/containers/abc/json").params());
        assertEquals(h, r.route("HEAD", "/_ping").handler());
        assertEquals(400, assertThrows(ApiError.class, () -> r.route("GET", "/v1.42/_ping")).status);
        assertEquals(405, assertThrows(ApiError.class, () -> r.route("POST", "/containers/abc/json")).status);
        assertEquals(404, assertThrows(ApiError.class, () -> r.route("GET", "/networks")).status);
    }

    @Test
    void responsesCarryDockersHeadersAndChunkedStreamsEndWithTheLastChunk() throws IOException {
        var buf = new ByteArrayOutputStream();
        new HttpResponse(buf, false).error(ApiError.noSuchContainer("x"));
        String text = buf.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("HTTP/1.1 404 Not Found\r\nApi-Version: 1.41\r\n"), text);
        assertTrue(text.endsWith("\r\n\r\n{\"message\":\"No such container: x\"}\n"), text);

        buf.reset();
        try (OutputStream s = new HttpResponse(buf, false).stream(200, "application/json")) {
            s.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(buf.toString(StandardCharsets.UTF_8).endsWith("Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"));
    }

    @Test
    void aHijackAnswers101ThenFramesUntilItsHalfClose() throws IOException {
        var buf = new ByteArrayOutputStream();
        boolean[] shut = {false};
        HttpRequest attach = HttpRequest.read(bytes("POST /v1.41/containers/x/attach?stream=1 HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"));
        HttpResponse response = new HttpResponse(buf, false, new Hijack.Socket(bytes("typed"), () -> shut[0] = true));
        Hijack h = response.hijack(attach, "application/vnd.docker.multiplexed-stream");
        assertTrue(response.hijacked(), "the connection carries no more requests");
        String head = buf.toString(StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("HTTP/1.1 101 UPGRADED\r\nApi-Version: 1.41\r\n"), head);
        assertTrue(head.endsWith("Content-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"), head);
        buf.reset();
        h.write(Hijack.STDOUT, "out".getBytes(), 3);
        h.write(Hijack.RAW, "raw".getBytes(), 3);
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 3, 'o', 'u', 't', 'r', 'a', 'w'}, buf.toByteArray());
        assertEquals("typed", new String(h.in().readAllBytes()), "what the client sends is the command's stdin");
        h.closeOutput();
        assertTrue(shut[0], "the end of the output is a half-close");
        h.write(Hijack.STDERR, "late".getBytes(), 4);
        assertEquals(14, buf.size(), "nothing after the end");

        buf.reset(); // a client that does not ask to upgrade gets a 200 whose body is the stream
        new HttpResponse(buf, false, new Hijack.Socket(bytes(""), () -> { })).hijack(HttpRequest.read(bytes("POST /x HTTP/1.1\r\n\r\n")), "t");
        assertTrue(buf.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(!buf.toString(StandardCharsets.ISO_8859_1).contains("Content-Length"));
    }

    @Test
    void logFramesHaveDockersEightByteHeader() throws IOException {
        var buf = new ByteArrayOutputStream();
        LogEndpoint.write(buf, LogEndpoint.STDERR, "err\n".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0, 4, 'e', 'r', 'r', '\n'}, buf.toByteArray());
        buf.reset();
        LogEndpoint.write(buf, 0, "tty\n".getBytes(StandardCharsets.UTF_8)); // a tty: raw bytes
        assertEquals("tty\n", buf.toString(StandardCharsets.UTF_8));
        assertEquals(-1, LogEndpoint.tail("all"));
        assertEquals(3, LogEndpoint.tail("3"));
        assertEquals(1_700_000_000_500_000_000L, LogEndpoint.unixTime("1700000000.5").toEpochMilli() * 1_000_000);
    }
}
