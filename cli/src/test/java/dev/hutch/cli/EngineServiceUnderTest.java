package dev.hutch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One engine service for a whole test JVM, reached through the real native client exactly as
 * {@code ./hutch} reaches it: its socket, pid file and log live in a private directory of this
 * JVM, the first command starts it, and it is stopped (and the directory removed) when the JVM
 * ends, so the suite's leak check finds no process or file of it.
 */
public final class EngineServiceUnderTest {
    private static final Path REPO = Path.of(System.getProperty("hutch.repo.root", "..")).toAbsolutePath().normalize();
    /** Built by the engine module's Makefile next to the helper. */
    public static final Path CLIENT = REPO.resolve("engine/target/classes/dev/hutch/native/hutch-client");
    private static Path dir;

    private EngineServiceUnderTest() {}

    /** The socket of this JVM's service (made on first use, removed at exit). */
    public static synchronized Path socket() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("hutch-engine-test-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EngineServiceUnderTest::stopAndRemove, "engine-service-stop"));
        }
        return dir.resolve("engine.sock");
    }

    /** What the client needs in its environment to find this service (and the service to idle out if a run is aborted). */
    public static Map<String, String> environment() {
        return Map.of("HUTCH_ENGINE_SOCKET", socket().toString(), "HUTCH_ENGINE_LOG", socket().resolveSibling("engine.log").toString(),
                "HUTCH_ENGINE_IDLE", "300");
    }

    /** The native client's command line around a cold (in-process) command; the user's args follow. */
    public static List<String> clientCommand(List<String> cold) {
        List<String> service = new ArrayList<>(List.of(HutchProcess.java(), "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "engine", "serve"));
        List<String> cmd = new ArrayList<>(List.of(CLIENT.toString(), "--socket", socket().toString(),
                "--log", socket().resolveSibling("engine.log").toString()));
        cmd.add("--cold");
        cmd.add(String.valueOf(cold.size()));
        cmd.addAll(cold);
        cmd.add("--service");
        cmd.add(String.valueOf(service.size()));
        cmd.addAll(service);
        cmd.add("--");
        return cmd;
    }

    /** The service's pid as its pid file records it, or -1 when none is running. */
    public static long pid() {
        try {
            Path pidFile = socket().resolveSibling("engine.sock.pid");
            if (!Files.exists(pidFile)) return -1;
            return Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopAndRemove() {
        try {
            List<String> cmd = clientCommand(HutchProcess.coldCommand(List.of()));
            cmd.addAll(List.of("engine", "stop"));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(environment());
            Process p = pb.start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("engine service under test: cannot stop it: " + e);
        } finally {
            // whatever became of the stop (no client built, say), the directory goes
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                System.err.println("engine service under test: cannot remove " + dir + ": " + e);
            }
        }
    }
}
