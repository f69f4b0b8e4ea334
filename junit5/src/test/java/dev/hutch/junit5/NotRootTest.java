package dev.hutch.junit5;

import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The extension in a JVM that is not root ({@code nobody}, through setpriv): a test that declares
 * a container fails with one line, or is skipped saying why with {@code hutch.junit5.notRoot=skip};
 * its body never runs. Needs root to become another user; the class path is copied where
 * {@code nobody} can read it (~/.m2 is root's).
 */
@RequiresRoot
@RequiresCommand("setpriv")
class NotRootTest {
    static TestRoots roots;
    static String classPath;

    @BeforeAll
    static void copyTheClassPath() throws IOException {
        roots = new TestRoots();
        Path cp = Files.createDirectories(roots.dir().resolve("cp"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (Path p : classPathEntries()) {
            Path copy = cp.resolve(n++ + "-" + p.getFileName());
            copyReadable(p, copy);
            entries.add(copy.toString());
        }
        classPath = String.join(":", entries);
    }

    @AfterAll
    static void tearDown() {
        if (roots != null) roots.close();
    }

    /** The test JVM's class path, surefire's manifest-only jar opened up. */
    private static List<Path> classPathEntries() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path p = Path.of(e);
            if (p.getFileName().toString().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    for (String u : jar.getManifest().getMainAttributes().getValue("Class-Path").split(" "))
                        if (!u.isBlank()) out.add(Path.of(java.net.URI.create(u)));
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    /** The probe's lines (outcome and message per test) and its exit code, run as nobody. */
    private static List<String> asNobody(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath, NotRootProbe.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(roots.dir().toFile());
        pb.redirectError(roots.dir().resolve("probe.err").toFile());
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes());
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "probe failed: " + out + Files.readString(roots.dir().resolve("probe.err")));
        return out.lines().toList();
    }

    @Test
    void aTestThatDeclaresAContainerFailsWithOneLine() throws Exception {
        List<String> lines = asNobody();
        assertEquals(List.of("FAILED hutch containers need root (uid 65534 here): hutch makes namespaces, cgroups and mounts;"
                + " run the tests as root, or set the JUnit parameter hutch.junit5.notRoot=skip to skip them"), lines);
    }

    @Test
    void withNotRootSkipItIsSkippedSayingWhy() throws Exception {
        List<String> lines = asNobody("skip");
        assertEquals(List.of("ABORTED hutch containers need root (uid 65534 here): hutch makes namespaces, cgroups and mounts;"
                + " run the tests as root"), lines);
        assertTrue(Files.readString(roots.dir().resolve("probe.err")).contains("SKIPPED needsAContainer(): hutch containers need root"),
                Files.readString(roots.dir().resolve("probe.err")));
    }
}
