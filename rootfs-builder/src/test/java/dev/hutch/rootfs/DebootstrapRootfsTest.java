package dev.hutch.rootfs;

import dev.hutch.engine.Engine;
import dev.hutch.engine.Engines;
import dev.hutch.engine.Started;
import dev.hutch.image.Image;
import dev.hutch.image.LocalImageStore;
import dev.hutch.logs.LogEntry;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real debootstrap of Debian bookworm (minbase): downloads about 40 MB from deb.debian.org and
 * takes minutes, so it runs only with {@code HUTCH_TEST_DEBOOTSTRAP=1}; otherwise it is skipped
 * with the reason printed.
 */
@RequiresRoot
@Timeout(value = 20, unit = TimeUnit.MINUTES) // downloads and unpacks a Debian base: minutes
class DebootstrapRootfsTest {

    @Test
    void bookwormMinbaseBuildsAndRunsBash() throws Exception {
        boolean optIn = "1".equals(System.getenv("HUTCH_TEST_DEBOOTSTRAP"));
        String why = "skipped: the debootstrap test downloads ~40 MB from deb.debian.org; set HUTCH_TEST_DEBOOTSTRAP=1 to run it";
        if (!optIn) System.err.println("DebootstrapRootfsTest: " + why);
        Assumptions.assumeTrue(optIn, why);
        boolean installed = Files.isExecutable(DebootstrapRootfs.DEBOOTSTRAP);
        String missing = "skipped: debootstrap is not installed (apt-get install debootstrap)";
        if (!installed) System.err.println("DebootstrapRootfsTest: " + missing);
        Assumptions.assumeTrue(installed, missing);

        try (TestRoots roots = new TestRoots()) {
            Engine engine = Engines.forHost(roots.config(), null);
            LocalImageStore store = engine.images();
            long t0 = System.nanoTime();
            Image image = new DebootstrapRootfs(store).build(DebootstrapRootfs.DEFAULT_SUITE, DebootstrapRootfs.DEFAULT_MIRROR,
                    List.of("debian:bookworm"), line -> { });
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            System.err.println("DebootstrapRootfsTest: built " + image.shortId() + " in " + seconds + " s, " + store.size(image) + " bytes");
            assertEquals(List.of("bash"), image.config().cmd());
            Path fs = image.layerDirs().get(0);
            assertTrue(Files.readString(fs.resolve("etc/os-release")).contains("bookworm"));
            assertTrue(Files.notExists(fs.resolve("etc/resolv.conf")), "the host's resolv.conf is not in the image");

            Started s = engine.run(ContainerSpec.builder("debian:bookworm").name("deboot-check").network("none")
                    .command("bash", "-c", "source /etc/os-release && echo $VERSION_CODENAME && dpkg -l | wc -l").build(), true);
            try {
                engine.waitFor(s.id());
                for (int i = 0; i < 100 && engine.exitRecord(s.id()) == null; i++) Thread.sleep(20);
                String out = engine.logs(s.id()).read(-1, null).stream().map(LogEntry::text).collect(Collectors.joining());
                assertTrue(out.startsWith("bookworm\n"), out);
            } finally {
                engine.remove(s.id(), true, true);
            }
        }
    }
}
