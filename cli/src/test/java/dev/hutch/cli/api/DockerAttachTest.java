package dev.hutch.cli.api;

import dev.hutch.cli.ScriptTerminal;
import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attaching through the API to containers started detached: the session joins the container's
 * monitor (its output, and its stdin for a -i container), and with a tty dockerd's detach keys
 * end the session and leave the container running. Driven by the real docker CLI at a real
 * terminal (`script`), and by a raw hijacked connection for what the CLI does on its own side
 * (it reads the detach keys itself), against a private service.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerAttachTest {
    static DockerCli cli;
    static TestRoots roots;

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli != null) cli.close(); // no container left, roots removed
    }

    static Result ok(String... args) throws IOException, InterruptedException {
        Result r = cli.run(null, args);
        System.out.println("$ docker " + String.join(" ", args) + "  -> " + r);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ":\n" + r);
        return r;
    }

    static String name(String what) { return "da-" + what + "-" + roots.tag(); }

    static boolean running(String c) throws Exception { return ok("inspect", "-f", "{{.State.Running}}", c).out().trim().equals("true"); }

    /** POST .../attach with Upgrade: tcp; returns the connection once the 101 head is read. */
    static SocketChannel hijack(String container, String query) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(cli.socket()));
        String req = "POST /v1.41/containers/" + container + "/attach?" + query + " HTTP/1.1\r\nHost: hutch\r\n"
                + "Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n";
        ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.ISO_8859_1)));
        String head = readHead(Channels.newInputStream(ch));
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return ch;
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) break;
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads what comes until {@code want} was seen or the stream ended; the bytes read. */
    static String readUntil(InputStream in, String want) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; !b.toString(StandardCharsets.UTF_8).contains(want) && (n = in.read(buf)) > 0; ) b.write(buf, 0, n);
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aDetachedTtyContainerTakesTheClientsStdinAndItsDetachKeysEndOnlyTheSession() throws Exception {
        String c = name("tty");
        ok("run", "-dit", "--name", c, "busybox", "sh");
        try (SocketChannel ch = hijack(c, "stream=1&stdin=1&stdout=1&stderr=1")) {
            InputStream in = Channels.newInputStream(ch);
            ch.write(ByteBuffer.wrap("echo calc-$((40+2))\r".getBytes(StandardCharsets.UTF_8)));
            String seen = readUntil(in, "calc-42");
            assertTrue(seen.contains("calc-42"), "typed on the API stream, run by the container's shell: " + seen);
            // ctrl-p ctrl-q, the default sequence: the service ends this stream
            ch.write(ByteBuffer.wrap(new byte[] {0x10, 0x11}));
            String rest = new String(in.readAllBytes(), StandardCharsets.UTF_8); // the service ends the stream
            assertTrue(!rest.contains("\u0011"), "the sequence is not passed on: " + rest);
        }
        assertTrue(running(c), "the container runs on after the client detached");
        // a second client joins it again
        try (SocketChannel ch = hijack(c, "stream=1&stdin=1&stdout=1&detachKeys=ctrl-x,y")) {
            InputStream in = Channels.newInputStream(ch);
            ch.write(ByteBuffer.wrap("echo again-$((1+1))\r".getBytes(StandardCharsets.UTF_8)));
            assertTrue(readUntil(in, "again-2").contains("again-2"));
            ch.write(ByteBuffer.wrap(new byte[] {0x18, 'y'}));
            in.readAllBytes();
        }
        assertTrue(running(c), "its own detach keys (detachKeys=ctrl-x,y) detach too");
        ok("rm", "-f", c);
    }

    @Test
    void aDetachedContainerWithoutTtyGetsStdinAndFramedOutput() throws Exception {
        String c = name("pipe");
        ok("run", "-di", "--name", c, "busybox", "sh", "-c", "while read l; do echo \"got $l\"; echo \"err $l\" >&2; done");
        try (SocketChannel ch = hijack(c, "stream=1&stdin=1&stdout=1&stderr=1")) {
            InputStream in = Channels.newInputStream(ch);
            ch.write(ByteBuffer.wrap("one\n".getBytes(StandardCharsets.UTF_8)));
            byte[] frames = new byte[0];
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!(b.toString(StandardCharsets.ISO_8859_1).contains("got one") && b.toString(StandardCharsets.ISO_8859_1).contains("err one"))) {
                int n = in.read(buf);
                if (n <= 0) break;
                b.write(buf, 0, n);
            }
            frames = b.toByteArray();
            // docker's multiplexed frames: stdout as stream 1, stderr as stream 2
            assertTrue(hasFrame(frames, 1, "got one\n"), "stdout framed as stream 1: " + b);
            assertTrue(hasFrame(frames, 2, "err one\n"), "stderr framed as stream 2: " + b);
            ch.shutdownOutput(); // the client's half-close ends only its input
        }
        assertTrue(running(c), "the container's stdin stays open after one client's end of input");
        ok("rm", "-f", c);
    }

    static boolean hasFrame(byte[] b, int stream, String payload) {
        for (int i = 0; i + 8 <= b.length; ) {
            int len = ((b[i + 4] & 0xff) << 24) | ((b[i + 5] & 0xff) << 16) | ((b[i + 6] & 0xff) << 8) | (b[i + 7] & 0xff);
            if (i + 8 + len > b.length) return false;
            if (b[i] == stream && new String(b, i + 8, len, StandardCharsets.UTF_8).equals(payload)) return true;
            i += 8 + len;
        }
        return false;
    }

    @Test
    void dockerAttachAtARealTerminalTypesIntoADetachedContainerAndDetaches() throws Exception {
        String c = name("cli");
        ok("run", "-dit", "--name", c, "busybox", "sh");
        try {
            try (ScriptTerminal t = ScriptTerminal.start(cli.command().environment(), "exec " + ScriptTerminal.shellLine(cli.command("attach", c).command()))) {
                Thread.sleep(2500); // attached (docker attach prints nothing of its own)
                t.type("echo calc-$((40+2))\r");
                t.await("calc-42"); // typed at docker attach, run by the detached container's shell
                t.type("\u0010\u0011");
                t.await("read escape sequence"); // docker's detach
                t.waitFor();
            }
            assertTrue(running(c), "the container runs on");
        } finally {
            ok("rm", "-f", c);
        }
    }

    @Test
    void aBadDetachKeysSequenceIsA400() throws Exception {
        String c = name("bad");
        ok("run", "-dit", "--name", c, "busybox", "sh");
        try {
            Process curl = new ProcessBuilder("curl", "-sS", "-w", "\n%{http_code}", "--unix-socket", cli.socket().toString(),
                    "-X", "POST", "http://hutch/v1.41/containers/" + c + "/attach?stream=1&stdin=1&detachKeys=ctrl-%3F%3F").redirectErrorStream(true).start();
            String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
            assertTrue(answer.trim().endsWith("400"), answer);
            assertTrue(answer.contains("Invalid detach keys (ctrl-??) provided"), answer);
            assertTrue(running(c));
        } finally {
            ok("rm", "-f", c);
        }
    }
}
