package dev.hutch.volume;

import dev.hutch.archive.Whiteouts;
import dev.hutch.layer.HelperMount;
import dev.hutch.spec.Mount;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostVolumesTest {
    @TempDir
    Path tmp;

    private Path layer(String name, String file, String content) throws Exception {
        Path p = tmp.resolve("layers").resolve(name).resolve(file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return tmp.resolve("layers").resolve(name);
    }

    @Test
    void namedVolumeIsMadeOnFirstUseAndSeededFromTheImage() throws Exception {
        Path bottom = layer("bottom", "data/from-bottom", "b");
        Path top = layer("top", "data/from-top", "t");
        HostVolumes volumes = new HostVolumes(tmp.resolve("volumes"));
        List<HelperMount> plan = volumes.plan("c0ffee", List.of(Mount.volume("web-data", "/data", true)), List.of(top, bottom));

        Path data = tmp.resolve("volumes/web-data/_data");
        assertEquals(new HelperMount(data.toString(), "/data", "", List.of("rbind", "mkdir", "ro"), ""), plan.get(0));
        assertEquals("b", Files.readString(data.resolve("from-bottom")), "lower layers count too");
        assertEquals("t", Files.readString(data.resolve("from-top")));
        assertFalse(volumes.store().inspect("web-data").anonymous());
    }

    @Test
    void aVolumeWithDataIsNotSeededAgain() throws Exception {
        Path img = layer("img", "data/file", "image");
        HostVolumes volumes = new HostVolumes(tmp.resolve("volumes"));
        Path data = volumes.store().create("kept", null).mountpoint();
        Files.writeString(data.resolve("mine"), "user");
        volumes.plan("c0ffee", List.of(Mount.volume("kept", "/data", false)), List.of(img));
        assertFalse(Files.exists(data.resolve("file")));
        assertEquals("user", Files.readString(data.resolve("mine")));
    }

    @Test
    void tmpfsBecomesATmpfsMountWithItsOptions() {
        HelperMount m = new HostVolumes(tmp.resolve("volumes"))
                .plan("c0ffee", List.of(Mount.tmpfs("/run", Map.of("size", "64m"))), List.of()).get(0);
        assertEquals("tmpfs", m.fstype());
        assertEquals("/run", m.target());
        assertEquals("size=64m", m.data());
    }

    @Test
    void anonymousVolumesAreMarkedAndRemovedWithTheContainer() {
        HostVolumes volumes = new HostVolumes(tmp.resolve("volumes"));
        List<Mount> mounts = List.of(Mount.volume("", "/scratch", false));
        HelperMount m = volumes.plan("c0ffee123456789", mounts, List.of()).get(0);
        String name = HostVolumes.anonymousName("c0ffee123456789", 0);
        assertEquals(volumes.dataDir(name).toString(), m.source());
        assertTrue(volumes.store().inspect(name).anonymous());
        volumes.removeAnonymous("c0ffee123456789", mounts);
        assertEquals(List.of(), volumes.store().list());
    }

    @Test
    @RequiresRoot
    void seedingHonoursWhiteoutsAndOpaqueDirs() throws Exception {
        Path bottom = layer("bottom", "data/gone", "g");
        layer("bottom", "data/sub/old", "o");
        Path top = layer("top", "data/sub/new", "n");
        Whiteouts.makeOverlayWhiteout(top.resolve("data/gone"));
        Whiteouts.markOverlayOpaque(top.resolve("data/sub"));
        HostVolumes volumes = new HostVolumes(tmp.resolve("volumes"));
        volumes.plan("c0ffee", List.of(Mount.volume("v", "/data", false)), List.of(top, bottom));
        Path data = volumes.dataDir("v");
        assertFalse(Files.exists(data.resolve("gone")));
        assertFalse(Files.exists(data.resolve("sub/old")));
        assertEquals("n", Files.readString(data.resolve("sub/new")));
    }
}
