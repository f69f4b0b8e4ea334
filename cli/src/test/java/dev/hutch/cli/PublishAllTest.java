package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's {@code -P} and {@code --expose}: every port the image's EXPOSE and --expose declare is
 * published on a free host port, shown by {@code ps} and {@code port}, and answers on 127.0.0.1
 * (the only address the test talks to).
 */
@RequiresRoot
class PublishAllTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    @Test
    void publishAllPublishesTheImagesAndExposedPortsOnFreeHostPorts() throws Exception {
        String image = "hutch-test-expose:" + roots.tag().toLowerCase();
        HutchProcess.Result base = hutch("run", "-d", "--network", "none", "busybox", "sleep", "60");
        assertEquals(0, base.code(), base.err());
        String id = null;
        try {
            assertEquals(0, hutch("commit", "-c", "EXPOSE 80 53/udp", base.out().trim(), image).code());
            HutchProcess.Result run = hutch("run", "-d", "-P", "--expose", "8080", "--expose", "9000-9001/udp", image,
                    "sh", "-c", "mkdir /www && echo published > /www/index.html && httpd -f -p 80 -h /www");
            assertEquals(0, run.code(), run.err());
            id = run.out().trim();

            Map<String, String> ports = new TreeMap<>();
            for (String line : hutch("port", id).out().trim().lines().toList()) {
                String[] f = line.split(" -> ");
                ports.put(f[0], f[1]);
            }
            assertEquals(List.of("53/udp", "80/tcp", "8080/tcp", "9000/udp", "9001/udp"), List.copyOf(ports.keySet()), ports.toString());
            String web = ports.get("80/tcp");
            assertTrue(web.matches("0\\.0\\.0\\.0:\\d+") && !web.endsWith(":0"), web);
            assertEquals(web + "\n", hutch("port", id, "80").out());
            assertTrue(hutch("ps").out().contains(web + "->80/tcp"), "ps shows it");
            HutchProcess.Result missing = hutch("port", id, "81/tcp");
            assertEquals(1, missing.code());
            assertTrue(missing.err().contains("No public port '81/tcp' published"), missing.err());

            int hostPort = Integer.parseInt(web.substring(web.lastIndexOf(':') + 1));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/")).timeout(Duration.ofSeconds(3)).build();
            String body = null;
            for (int i = 0; i < 50 && body == null; i++) {
                try {
                    body = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
                } catch (java.io.IOException e) {
                    Thread.sleep(100); // httpd not listening yet
                }
            }
            assertEquals("published\n", body);
        } finally {
            if (id != null) hutch("rm", "-f", id);
            hutch("rm", "-f", base.out().trim());
            hutch("rmi", image);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void badExposeIsRefusedWithOneLine() {
        for (String bad : List.of("0", "80/sctp", "90-80", "http")) {
            HutchProcess.Result r = hutch("run", "--rm", "--expose", bad, "busybox", "echo", "RAN");
            assertEquals(125, r.code(), bad);
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().startsWith("hutch: --expose: \"" + bad + "\""), r.err());
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }
}
