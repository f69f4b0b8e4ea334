package dev.hutch.junit5;

import dev.hutch.runtime.ExecResult;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.PortMapping;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension used as a user would, on this class itself: a per-class web server whose port
 * answers from the host, exec into it, and a per-test container that is ready once it logged a line.
 */
@RequiresRoot
class ExecAndPortTest {
    // the roots first: their afterAll (which checks nothing is left) runs after the extension's
    @RegisterExtension
    @Order(1)
    static final PrivateRoots roots = new PrivateRoots();

    @RegisterExtension
    @Order(2)
    static final HutchExtension hutch = HutchExtension.using(roots::config);

    @HutchContainer
    static final HutchContainerRef web = HutchContainerRef.of(ContainerSpec.builder("busybox")
                    .command("sh", "-c", "mkdir -p /www && echo 'hello from hutch' > /www/index.html && exec httpd -f -p 8080 -h /www")
                    .port(new PortMapping("127.0.0.1", 0, 8080, "tcp")))
            .waitingForHostPort(8080);

    @HutchContainer
    final HutchContainerRef talker = HutchContainerRef.of(ContainerSpec.builder("busybox")
                    .command("sh", "-c", "echo ready; echo on stderr >&2; exec sleep 600").network("none"))
            .waitingForLog("^ready$");

    @Test
    void aPublishedPortAnswersFromTheHost() throws IOException {
        int port = web.hostPort(8080);
        assertTrue(port > 0, "a host port was picked: " + port);
        assertEquals("hello from hutch\n", httpGet("127.0.0.1", port, "/index.html"));
    }

    @Test
    void theContainersOwnAddressAnswersToo() throws IOException {
        assertEquals("hello from hutch\n", httpGet(web.ip(), 8080, "/index.html"));
    }

    @Test
    void execGivesTheExitCodeAndTheOutputAndChangesWhatTheServerServes() throws IOException {
        ExecResult r = web.exec("sh", "-c", "echo written by exec > /www/exec.html; cat /www/index.html; echo oops >&2; exit 3");
        assertEquals(3, r.exitCode());
        assertEquals("hello from hutch\n", r.output());
        assertEquals("oops\n", r.error());
        assertEquals("written by exec\n", httpGet("127.0.0.1", web.hostPort(8080), "/exec.html"));
    }

    @Test
    void aPerTestContainerIsReadyOnceItLoggedTheLine() {
        String logs = talker.logs();
        assertTrue(logs.startsWith("ready\n"), logs);
        assertTrue(logs.contains("on stderr\n"), "stderr is in the logs too: " + logs);
        var labels = talker.state().spec().labels();
        assertEquals("aPerTestContainerIsReadyOnceItLoggedTheLine", labels.get(ContainerLabels.TEST));
        assertEquals("ExecAndPortTest.talker", labels.get(ContainerLabels.FIELD));
        assertEquals(Long.toString(ProcessHandle.current().pid()), labels.get(ContainerLabels.PID));
        assertTrue(talker.name().startsWith("j5-talker-"), talker.name());
    }

    /** A plain HTTP/1.0 GET (no proxy can get in the way); the body of a 200, or the status line. */
    private static String httpGet(String host, int port, String path) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int body = response.indexOf("\r\n\r\n");
            if (!response.startsWith("HTTP/1.0 200") && !response.startsWith("HTTP/1.1 200"))
                return response.lines().findFirst().orElse("(no answer)");
            return response.substring(body + 4);
        }
    }
}
