package dev.hutch.cli.api;

import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.TestcontainersConfiguration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Testcontainers-java (2.0, over its own docker-java) against hutch's Docker API: a
 * GenericContainer of hutch's built-in busybox with an exposed port and a wait strategy, its logs,
 * execInContainer, a Network whose two containers reach each other by alias, and stop, against a
 * private `hutch engine serve` on the test's own roots.
 *
 * <p>Testcontainers reads its settings from the environment, ~/.testcontainers.properties and the
 * classpath, and writes the first of those back: so this test points user.home at its own
 * directory for as long as Testcontainers loads its configuration, with a properties file that
 * names the private socket, the environment-only client strategy (it never looks at
 * /var/run/docker.sock), no resource reaper (Ryuk is an image hutch does not have; every container
 * here is closed by the test) and no start-up checks. Needs root (the engine makes namespaces,
 * cgroups and veths) and no DOCKER_HOST in the environment (it would win over the file).
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class TestcontainersTest {
    static PrivateDockerApi api;
    static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");

    @BeforeAll
    static void setUp() throws Exception {
        assertNull(System.getenv("DOCKER_HOST"), "DOCKER_HOST is set in the environment: Testcontainers would use it, not the test's socket");
        api = new PrivateDockerApi();
        Path home = Files.createDirectories(api.roots.dir().resolve("home"));
        Files.writeString(home.resolve(".testcontainers.properties"), String.join("\n",
                "docker.client.strategy=org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy",
                "docker.host=" + api.dockerHost(),
                "ryuk.disabled=true",
                "checks.disable=true", ""));
        String realHome = System.getProperty("user.home");
        System.setProperty("user.home", home.toString());
        try {
            TestcontainersConfiguration.getInstance(); // reads (and would write) only the file above
        } finally {
            System.setProperty("user.home", realHome);
        }
        assertTrue(DockerClientFactory.instance().isDockerAvailable(), "Testcontainers found no Docker API at " + api.dockerHost());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (api != null) api.close();
    }

    @Test
    void aGenericContainerWithAPortAWaitStrategyLogsAndExec() throws Exception {
        String id;
        long pid;
        try (GenericContainer<?> web = new GenericContainer<>(BUSYBOX)
                .withExposedPorts(8080)
                .withEnv("GREETING", "hello-tc")
                .withLabel("test", api.roots.tag())
                .withCommand("sh", "-c", "mkdir -p /www && echo \"page $GREETING\" > /www/index.html && echo \"ready $GREETING\""
                        + " && echo to-stderr >&2 && exec httpd -f -p 8080 -h /www")
                .waitingFor(Wait.forListeningPort().withStartupTimeout(Duration.ofSeconds(60)))) {
            web.start();
            id = web.getContainerId();
            pid = web.getContainerInfo().getState().getPidLong();
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("hutch-init"), "the host's /proc/" + pid);

            int port = web.getMappedPort(8080);
            String page = DockerJavaTest.httpGet(port);
            assertTrue(page.startsWith("HTTP/1.") && page.endsWith("page hello-tc\n"), "127.0.0.1:" + port + " answered: " + page);

            assertTrue(web.getLogs().contains("ready hello-tc\n"), web.getLogs());
            assertEquals("to-stderr\n", web.getLogs(OutputFrame.OutputType.STDERR));

            Container.ExecResult r = web.execInContainer("sh", "-c", "cat /www/index.html; echo oops >&2; exit 4");
            assertEquals(4, r.getExitCode());
            assertEquals("page hello-tc\n", r.getStdout());
            assertEquals("oops\n", r.getStderr());
        }
        // stop (close): Testcontainers kills and removes it
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "the container's process is gone after stop");
        assertFalse(Files.exists(api.roots.config().containerStateDir(id)), "its state dir is gone");
    }

    @Test
    void twoContainersOnANetworkReachEachOtherByAlias() throws Exception {
        try (Network network = Network.newNetwork();
             GenericContainer<?> server = new GenericContainer<>(BUSYBOX)
                     .withNetwork(network).withNetworkAliases("server")
                     .withCommand("sh", "-c", "mkdir -p /www && echo from-server > /www/index.html && echo serving && exec httpd -f -p 80 -h /www")
                     .waitingFor(Wait.forLogMessage("serving\\n", 1));
             GenericContainer<?> client = new GenericContainer<>(BUSYBOX)
                     .withNetwork(network).withNetworkAliases("client")
                     .withCommand("sh", "-c", "echo up; exec sleep 300")
                     .waitingFor(Wait.forLogMessage("up\\n", 1))) {
            server.start();
            client.start();
            // nc, not wget: the static busybox of Debian segfaults in wget's name lookup
            Container.ExecResult r = null;
            for (int i = 0; i < 20; i++) { // httpd binds a moment after "serving"
                r = client.execInContainer("sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 5 server 80");
                if (r.getStdout().endsWith("from-server\n")) break;
                Thread.sleep(250);
            }
            assertTrue(r.getStdout().endsWith("\r\n\r\nfrom-server\n"), r.getStdout() + r.getStderr());
            Container.ExecResult back = server.execInContainer("sh", "-c", "grep -w client /etc/hosts");
            assertEquals(0, back.getExitCode(), "the server knows the client by its alias: " + back.getStdout() + back.getStderr());
            assertEquals(List.of(network.getId()), server.getContainerInfo().getNetworkSettings().getNetworks().values().stream()
                    .map(n -> n.getNetworkID()).toList());
        }
    }

    /**
     * copyFileToContainer: a tar PUT to /containers/{id}/archive. Until hutch's API serves that
     * endpoint (being added beside this test) this one test is skipped, saying so; every other
     * answer is a failure.
     */
    @Test
    void copyFileToContainerPutsTheFileWhereTheContainerSeesIt() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(BUSYBOX)
                .withCommand("sh", "-c", "echo up; exec sleep 300")
                .waitingFor(Wait.forLogMessage("up\\n", 1))) {
            c.start();
            try {
                c.copyFileToContainer(Transferable.of("copied by testcontainers\n"), "/tmp/copied.txt");
            } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                Assumptions.assumeFalse(e.getMessage().contains("does not serve PUT"),
                        "needs PUT /containers/{id}/archive, which this build of hutch's API does not serve yet: " + e.getMessage());
                throw e;
            }
            long pid = c.getContainerInfo().getState().getPidLong();
            assertEquals("copied by testcontainers\n", Files.readString(Path.of("/proc/" + pid + "/root/tmp/copied.txt")),
                    "the file, read from the host through the container's root");
            assertEquals("copied by testcontainers\n", c.execInContainer("cat", "/tmp/copied.txt").getStdout());
        }
    }

    /**
     * withCopyFileToContainer and withCopyToContainer: Testcontainers copies both into the created
     * container before it starts (PUT /containers/{id}/archive on a container that never ran), so
     * its command reads them at once: a host file (a MountableFile) and a script it runs
     * (a Transferable with mode 0755).
     */
    @Test
    void filesCopiedBeforeTheStartAreThereWhenTheCommandRuns() throws Exception {
        Path hostFile = Files.writeString(api.roots.dir().resolve("tc-host-file.txt"), "from a host file\n");
        try (GenericContainer<?> c = new GenericContainer<>(BUSYBOX)
                .withCopyFileToContainer(MountableFile.forHostPath(hostFile), "/opt/tc/host-file.txt")
                .withCopyToContainer(Transferable.of("#!/bin/sh\necho \"script says $(cat /opt/tc/host-file.txt)\"\n", 0755),
                        "/usr/local/bin/tc-script")
                .withCommand("sh", "-c", "tc-script; echo copied-ok; exec sleep 300")
                .waitingFor(Wait.forLogMessage("copied-ok\\n", 1).withStartupTimeout(Duration.ofSeconds(60)))) {
            c.start();
            assertTrue(c.getLogs().startsWith("script says from a host file\ncopied-ok\n"), c.getLogs());
            long pid = c.getContainerInfo().getState().getPidLong();
            assertEquals("from a host file\n", Files.readString(Path.of("/proc/" + pid + "/root/opt/tc/host-file.txt")),
                    "the file, read from the host through the running container's root");
            assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(Path.of("/proc/" + pid + "/root/usr/local/bin/tc-script"))), "the script's mode");
        }
    }
}
