package dev.hutch.layer;

import dev.hutch.HutchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plan alone, no mounting: needs no root. */
class OverlayDriverTest {
    @TempDir
    Path tmp;

    private List<Path> storeLayers(int n, int padding) throws Exception {
        List<Path> out = new ArrayList<>();
        Path deep = tmp.resolve("lib" + "x".repeat(padding)).resolve("layers/sha256");
        for (int i = 0; i < n; i++) {
            Path fs = deep.resolve(hex(i)).resolve("fs");
            Files.createDirectories(fs);
            out.add(fs);
        }
        return out;
    }

    /** Distinct digests, as real ones are. */
    private static String hex(int i) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[]{(byte) i}));
    }

    @Test
    void aShortNameTakenByAnotherLayerIsNeverReplaced() throws Exception {
        Path store = tmp.resolve("lib/layers/sha256");
        Path a = Files.createDirectories(store.resolve("abcdef012345" + "0".repeat(52)).resolve("fs"));
        Path b = Files.createDirectories(store.resolve("abcdef012345" + "1".repeat(52)).resolve("fs"));
        List<String> one = ShortLowerNames.linksFor(tmp.resolve("c1"), List.of(a));
        List<String> two = ShortLowerNames.linksFor(tmp.resolve("c2"), List.of(b));
        assertEquals(a, Files.readSymbolicLink(Path.of(one.get(0))));
        assertEquals(b, Files.readSymbolicLink(Path.of(two.get(0))));
        assertTrue(!one.get(0).equals(two.get(0)), one + " " + two);
    }

    @Test
    void lowerdirsAreListedTopFirst() throws Exception {
        List<Path> layers = storeLayers(3, 0);
        RootfsPlan plan = new OverlayDriver().prepare(tmp.resolve("c"), layers);
        HelperMount m = plan.mounts().get(0);
        assertEquals("overlay", m.fstype());
        assertEquals("/", m.target());
        assertTrue(m.data().startsWith("lowerdir=" + layers.get(2) + ":" + layers.get(1) + ":" + layers.get(0) + ",upperdir="), m.data());
        assertEquals(tmp.resolve("c/upper"), plan.upperDir());
        assertTrue(Files.isDirectory(plan.upperDir()) && Files.isDirectory(plan.workDir()) && Files.isDirectory(plan.rootfs()));
    }

    @Test
    void manyLayersUseShortLinkedNamesToFitInOnePage() throws Exception {
        List<Path> layers = storeLayers(60, 0);
        RootfsPlan plan = new OverlayDriver().prepare(tmp.resolve("c"), layers);
        String data = plan.mounts().get(0).data();
        assertTrue(data.length() <= 4095, data.length() + " bytes");
        String firstLower = data.substring("lowerdir=".length(), data.indexOf(':'));
        Path link = Path.of(firstLower);
        assertEquals(layers.get(59), Files.readSymbolicLink(link), "the short name points at the top layer");
        assertTrue(link.getParent().endsWith("layers/l"), link.toString());
    }

    @Test
    void tooManyLayersIsAClearError() throws Exception {
        List<Path> layers = storeLayers(200, 0);
        HutchException e = assertThrows(HutchException.class, () -> new OverlayDriver().prepare(tmp.resolve("c"), layers));
        assertTrue(e.getMessage().contains("too many layers"), e.getMessage());
    }

    @Test
    void selectHonoursTheForcedDriverAndRefusesUnknownOnes() {
        assertEquals("copy", LayerDrivers.select("copy").name());
        assertEquals("overlay", LayerDrivers.select(null).name());
        HutchException e = assertThrows(HutchException.class, () -> LayerDrivers.select("zfs"));
        assertTrue(e.getMessage().contains("zfs"), e.getMessage());
    }
}
