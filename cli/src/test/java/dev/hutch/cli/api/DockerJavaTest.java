package dev.hutch.cli.api;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * hutch's Docker Engine API driven by docker-java (the client Testcontainers is built on) over its
 * zero-dependency unix-socket transport, against a private `hutch engine serve` on the test's own
 * roots. Each verb's effect is checked from outside as well: the cgroup's memory limit file, the
 * process in the host's /proc, the published port answering on 127.0.0.1, the volume's files on
 * the host. Needs root (the engine makes namespaces, cgroups and veths); elsewhere it skips.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerJavaTest {
    static PrivateDockerApi api;
    static DockerClient docker;

    @BeforeAll
    static void setUp() throws Exception {
        api = new PrivateDockerApi();
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(api.dockerHost())
                .withDockerTlsVerify(false)
                .withDockerConfig(api.roots.dir().resolve("docker-config").toString()) // not root's ~/.docker
                .withApiVersion("1.41")
                .build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .connectionTimeout(Duration.ofSeconds(10)).responseTimeout(Duration.ofSeconds(120)).build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void tearDown() throws Exception {
        try {
            if (docker != null) docker.close();
        } finally {
            if (api != null) api.close();
        }
    }

    String name(String what) { return "dj-" + what + "-" + api.roots.tag(); }

    @Test
    void pingVersionAndInfoDescribeThisHost() throws Exception {
        docker.pingCmd().exec();
        Version v = docker.versionCmd().exec();
        assertEquals("1.41", v.getApiVersion());
        assertEquals("linux", v.getOperatingSystem());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(), v.getKernelVersion());
        Info info = docker.infoCmd().exec();
        assertEquals(Runtime.getRuntime().availableProcessors(), info.getNCPU());
        assertEquals(api.roots.config().libRoot().toString(), info.getDockerRootDir());
        assertTrue(info.getMemTotal() > 0, "MemTotal " + info.getMemTotal());
    }

    /**
     * create with env, labels, a memory limit and a port published on 127.0.0.1; start; inspect;
     * follow the logs; exec with its output and code; list with a label filter; stop; wait; remove.
     */
    @Test
    void aContainerFromCreateToRemoveWithItsEffectsSeenFromTheHost() throws Exception {
        String name = name("web");
        String label = "dj-" + api.roots.tag();
        ExposedPort http = ExposedPort.tcp(8080);
        Ports ports = new Ports();
        ports.bind(http, Ports.Binding.bindIp("127.0.0.1")); // a free host port the engine picks
        CreateContainerResponse created = docker.createContainerCmd("busybox")
                .withName(name)
                .withEnv("GREETING=hello-from-env")
                .withLabels(Map.of("test", label, "role", "web"))
                .withExposedPorts(http)
                .withCmd("sh", "-c", "mkdir -p /www && echo \"page $GREETING\" > /www/index.html && echo \"started $GREETING\""
                        + " && exec httpd -f -p 8080 -h /www")
                .withHostConfig(HostConfig.newHostConfig().withMemory(64L << 20).withPortBindings(ports))
                .exec();
        String id = created.getId();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        try {
            assertEquals("created", docker.inspectContainerCmd(name).exec().getState().getStatus());
            docker.startContainerCmd(id).exec();

            InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
            assertEquals(Boolean.TRUE, inspected.getState().getRunning());
            assertEquals("/" + name, inspected.getName());
            assertEquals(64L << 20, inspected.getHostConfig().getMemory());
            assertTrue(List.of(inspected.getConfig().getEnv()).contains("GREETING=hello-from-env"), List.of(inspected.getConfig().getEnv()).toString());
            assertEquals("web", inspected.getConfig().getLabels().get("role"));
            long pid = inspected.getState().getPidLong();
            assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("hutch-init"), "the host's /proc/" + pid);
            assertEquals(64L << 20, DockerCliTest.memoryLimit(pid), "the cgroup's memory limit, read from the host");

            Ports.Binding[] bound = inspected.getNetworkSettings().getPorts().getBindings().get(http);
            assertNotNull(bound, "NetworkSettings.Ports has 8080/tcp: " + inspected.getNetworkSettings().getPorts().getBindings());
            assertEquals("127.0.0.1", bound[0].getHostIp());
            int hostPort = Integer.parseInt(bound[0].getHostPortSpec());

            String logs = followLogsUntil(id, "started hello-from-env");
            assertTrue(logs.contains("started hello-from-env"), logs);
            assertTrue(httpGet(hostPort).contains("page hello-from-env"), "the published port answers on 127.0.0.1:" + hostPort);
            assertEquals(List.of(pid + ""), List.of(Files.readString(Path.of("/proc/" + pid + "/status")).lines()
                    .filter(l -> l.startsWith("Pid:")).map(l -> l.split("\\s+")[1]).findFirst().orElseThrow()));
            assertTrue(DockerCliTest.childrenCommandLines(pid).get(0).startsWith("httpd\u0000-f\u0000-p\u00008080"),
                    DockerCliTest.childrenCommandLines(pid).toString());

            var exec = docker.execCreateCmd(id).withCmd("sh", "-c", "echo out-$GREETING; echo err-line >&2; exit 3")
                    .withAttachStdout(true).withAttachStderr(true).exec();
            Collected out = new Collected();
            docker.execStartCmd(exec.getId()).exec(out).awaitCompletion(60, TimeUnit.SECONDS);
            assertEquals("out-hello-from-env\n", out.text(StreamType.STDOUT));
            assertEquals("err-line\n", out.text(StreamType.STDERR));
            assertEquals(3L, docker.inspectExecCmd(exec.getId()).exec().getExitCodeLong());

            List<Container> listed = docker.listContainersCmd().withLabelFilter(Map.of("test", label)).exec();
            assertEquals(List.of(id), listed.stream().map(Container::getId).toList());
            assertEquals("running", listed.get(0).getState());
            assertEquals(List.of(), docker.listContainersCmd().withLabelFilter(Map.of("test", label)).withStatusFilter(List.of("exited"))
                    .withShowAll(true).exec());

            docker.stopContainerCmd(id).withTimeout(5).exec();
            int code = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS);
            assertFalse(Files.exists(Path.of("/proc/" + pid)), "the container's process is gone after stop");
            assertEquals(docker.inspectContainerCmd(id).exec().getState().getExitCodeLong().intValue(), code);
            assertEquals(List.of(id), docker.listContainersCmd().withLabelFilter(Map.of("test", label)).withStatusFilter(List.of("exited"))
                    .withShowAll(true).exec().stream().map(Container::getId).toList());
            assertEquals(List.of(), docker.listContainersCmd().withLabelFilter(Map.of("test", label)).exec(), "without all: running only");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
        assertFalse(Files.exists(api.roots.config().containerStateDir(id)), "remove takes the state dir");
        assertThrows(NotFoundException.class, () -> docker.inspectContainerCmd(id).exec());
    }

    /** A user network: two containers, one connected after its start, reach each other by name. */
    @Test
    void aNetworkConnectsTwoContainersThatReachEachOtherByName() throws Exception {
        String net = name("net"), server = name("srv"), client = name("cli");
        String netId = docker.createNetworkCmd().withName(net).withDriver("bridge").withLabels(Map.of("test", api.roots.tag())).exec().getId();
        assertEquals(Map.of("test", api.roots.tag()), docker.inspectNetworkCmd().withNetworkId(netId).exec().getLabels());
        String serverId = null, clientId = null;
        try {
            serverId = docker.createContainerCmd("busybox").withName(server)
                    .withCmd("sh", "-c", "mkdir -p /www && echo served-by-srv > /www/index.html && exec httpd -f -p 80 -h /www")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode(net)).exec().getId();
            docker.startContainerCmd(serverId).exec();
            clientId = docker.createContainerCmd("busybox").withName(client).withCmd("sleep", "60").exec().getId(); // the default bridge
            docker.startContainerCmd(clientId).exec();
            assertTrue(docker.inspectNetworkCmd().withNetworkId(net).exec().getContainers().containsKey(serverId));

            docker.connectToNetworkCmd().withNetworkId(netId).withContainerId(clientId).exec();
            var networks = docker.inspectContainerCmd(clientId).exec().getNetworkSettings().getNetworks();
            assertTrue(networks.containsKey(net), "connected: " + networks.keySet());
            String clientIp = networks.get(net).getIpAddress();
            long clientPid = docker.inspectContainerCmd(clientId).exec().getState().getPidLong();
            assertTrue(Files.readString(Path.of("/proc/" + clientPid + "/net/fib_trie")).contains(clientIp),
                    "the client's network namespace, seen from the host, has " + clientIp);

            var exec = docker.execCreateCmd(clientId).withCmd("sh", "-c", "printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w 10 " + server + " 80")
                    .withAttachStdout(true).withAttachStderr(true).exec();
            Collected out = new Collected();
            docker.execStartCmd(exec.getId()).exec(out).awaitCompletion(60, TimeUnit.SECONDS);
            // nc, not wget: the static busybox of Debian segfaults in wget's name lookup
            assertTrue(out.text(StreamType.STDOUT).endsWith("\r\n\r\nserved-by-srv\n"), out.text(StreamType.STDOUT) + out.text(StreamType.STDERR));

            List<String> names = docker.listNetworksCmd().exec().stream().map(Network::getName).toList();
            assertTrue(names.contains(net), names.toString());
        } finally {
            if (clientId != null) docker.removeContainerCmd(clientId).withForce(true).exec();
            if (serverId != null) docker.removeContainerCmd(serverId).withForce(true).exec();
            docker.removeNetworkCmd(netId).exec();
        }
        assertThrows(NotFoundException.class, () -> docker.inspectNetworkCmd().withNetworkId(net).exec());
    }

    /** A named volume: what a container writes there is on the host at the volume's mountpoint, and outlives it. */
    @Test
    void aVolumeKeepsWhatAContainerWroteOnTheHost() throws Exception {
        String volume = name("vol");
        docker.createVolumeCmd().withName(volume).withLabels(Map.of("test", api.roots.tag())).exec();
        try {
            String id = docker.createContainerCmd("busybox").withName(name("writer"))
                    .withCmd("sh", "-c", "echo kept > /data/file")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none").withBinds(new Bind(volume, new Volume("/data"))))
                    .exec().getId();
            try {
                docker.startContainerCmd(id).exec();
                assertEquals(0, docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS));
            } finally {
                docker.removeContainerCmd(id).withForce(true).exec();
            }
            InspectVolumeResponse v = docker.inspectVolumeCmd(volume).exec();
            assertEquals(volume, v.getName());
            assertEquals("kept\n", Files.readString(Path.of(v.getMountpoint(), "file")), "the file under the volume's mountpoint on the host");
            assertTrue(docker.listVolumesCmd().exec().getVolumes().stream().anyMatch(x -> x.getName().equals(volume)));
        } finally {
            docker.removeVolumeCmd(volume).exec();
        }
        assertThrows(NotFoundException.class, () -> docker.inspectVolumeCmd(volume).exec());
    }

    /**
     * Pull (what Testcontainers does for a missing image): the built-in busybox is built on the
     * host's image store and reported as pulled; a registry image is docker's 404.
     */
    @Test
    void pullMakesTheBuiltInImageAndReportsAnUnreachableRegistry() throws Exception {
        docker.pullImageCmd("busybox").withTag("latest").exec(new com.github.dockerjava.api.command.PullImageResultCallback())
                .awaitCompletion(120, TimeUnit.SECONDS);
        var image = docker.inspectImageCmd("busybox:latest").exec();
        assertTrue(image.getRepoTags().contains("busybox:latest"), image.getRepoTags().toString());
        assertTrue(docker.listImagesCmd().exec().stream().anyMatch(i -> i.getId().equals(image.getId())));
        assertTrue(Files.isRegularFile(api.roots.config().imagesDir().resolve("sha256").resolve(image.getId().replace("sha256:", "") + ".json")),
                "the image's config in the store on the host");
        assertTrue(Files.readString(api.roots.config().imagesDir().resolve("repositories.json")).contains("busybox"), "tagged busybox on the host");
        // a registry the name gives is pulled from (on loopback: a port where nothing listens); the
        // failure comes as docker's error line in the progress stream, which docker-java throws
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        var refused = assertThrows(com.github.dockerjava.api.exception.DockerClientException.class, () -> docker
                .pullImageCmd("127.0.0.1:" + closed + "/nothing-" + api.roots.tag()).withTag("1")
                .exec(new com.github.dockerjava.api.command.PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS));
        assertTrue(refused.getMessage().contains("cannot reach the registry 127.0.0.1:" + closed), refused.getMessage());
        // a short name is never sent to Docker Hub: not in the store and not built in, it is docker's 404
        assertThrows(NotFoundException.class, () -> docker.pullImageCmd("nothing-" + api.roots.tag()).withTag("1")
                .exec(new com.github.dockerjava.api.command.PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS));
    }

    /**
     * copyArchiveToContainerCmd into a container that was created and never started: docker's
     * create makes the container, so the copy lands in its writable layer and its command, once
     * started, reads it; inspect says "created" until then.
     */
    @Test
    void anArchiveCopiedIntoACreatedContainerIsThereWhenItStarts() throws Exception {
        String id = docker.createContainerCmd("busybox").withName(name("archive"))
                .withCmd("cat", "/tmp/from-archive/note")
                .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none"))
                .exec().getId();
        try {
            assertEquals("created", docker.inspectContainerCmd(id).exec().getState().getStatus());
            java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
            try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(tar)) {
                byte[] note = "put before the start\n".getBytes(StandardCharsets.UTF_8);
                var dir = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("from-archive/");
                out.putArchiveEntry(dir);
                out.closeArchiveEntry();
                var file = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("from-archive/note");
                file.setSize(note.length);
                out.putArchiveEntry(file);
                out.write(note);
                out.closeArchiveEntry();
            }
            docker.copyArchiveToContainerCmd(id).withRemotePath("/tmp")
                    .withTarInputStream(new java.io.ByteArrayInputStream(tar.toByteArray())).exec();
            assertEquals("created", docker.inspectContainerCmd(id).exec().getState().getStatus(), "a copy does not start it");
            docker.startContainerCmd(id).exec();
            assertEquals(0, docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(60, TimeUnit.SECONDS));
            Collected logs = new Collected();
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(logs).awaitCompletion(60, TimeUnit.SECONDS);
            assertEquals("put before the start\n", logs.text(StreamType.STDOUT), "what the container's cat printed");
        } finally {
            docker.removeContainerCmd(id).withForce(true).exec();
        }
        assertFalse(Files.exists(api.roots.config().containerStateDir(id)));
    }

    @Test
    void anUnknownContainerOrImageIsDockersNotFound() {
        assertThrows(NotFoundException.class, () -> docker.inspectContainerCmd("no-such-" + api.roots.tag()).exec());
        assertThrows(NotFoundException.class, () -> docker.createContainerCmd("no-such-image-" + api.roots.tag()).exec());
    }

    /** Follows the log stream until {@code marker} is in it (or 60 s pass), then closes it. */
    static String followLogsUntil(String id, String marker) throws Exception {
        Collected logs = new Collected();
        docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true).exec(logs);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!logs.all().contains(marker) && System.nanoTime() < deadline) Thread.sleep(50);
            return logs.all();
        } finally {
            logs.close();
        }
    }

    /** A plain HTTP/1.0 GET to 127.0.0.1:port, the whole answer. */
    static String httpGet(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /index.html HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The frames of a multiplexed stream, by stream. */
    static final class Collected extends ResultCallback.Adapter<Frame> {
        private final StringBuffer stdout = new StringBuffer(), stderr = new StringBuffer(), all = new StringBuffer();

        @Override
        public void onNext(Frame frame) {
            String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
            (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).append(text);
            all.append(text);
        }

        String text(StreamType type) { return (type == StreamType.STDERR ? stderr : stdout).toString(); }

        String all() { return all.toString(); }
    }
}
