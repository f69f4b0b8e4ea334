package dev.hutch.layer;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * mount(2) takes at most one page of options, and an overlay over many layers with long paths
 * overflows it (docker hit the same wall and answered with short names in {@code overlay2/l/}).
 * Here a stored layer {@code <layers>/sha256/<hex>/fs} gets the link {@code <layers>/l/<hex12>}
 * (shared by every container, removed with the layer); a layer dir outside the store gets a
 * per-container link {@code <containerDir>/l/<n>}. The kernel follows the links when it mounts.
 */
final class ShortLowerNames {
    private ShortLowerNames() {}

    static List<String> linksFor(Path containerDir, List<Path> lowers) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < lowers.size(); i++) {
            Path lower = lowers.get(i).toAbsolutePath();
            Path link = storeLink(lower);
            if (link == null) link = containerDir.toAbsolutePath().resolve("l").resolve(Integer.toString(i));
            ensureLink(link, lower);
            out.add(link.toString());
        }
        return out;
    }

    /**
     * {@code <layers>/l/<first 12 hex>} for a layer in the store's layout (a longer prefix if those
     * 12 are taken by another layer: links in use by other containers are never replaced); else null.
     */
    private static Path storeLink(Path lower) {
        Path hexDir = lower.getParent();
        if (!"fs".equals(lower.getFileName().toString()) || hexDir == null || hexDir.getParent() == null) return null;
        String hex = hexDir.getFileName().toString();
        if (!"sha256".equals(hexDir.getParent().getFileName().toString()) || !hex.matches("[0-9a-f]{64}")) return null;
        Path links = hexDir.getParent().getParent().resolve("l");
        for (int len : new int[]{12, 16, 24, 32, 64}) {
            Path link = links.resolve(hex.substring(0, len));
            try {
                if (!Files.isSymbolicLink(link) || Files.readSymbolicLink(link).equals(lower)) return link;
            } catch (IOException e) {
                // unreadable: try a longer name
            }
        }
        return null;
    }

    private static void ensureLink(Path link, Path target) {
        try {
            Files.createDirectories(link.getParent());
            try {
                Files.createSymbolicLink(link, target);
            } catch (FileAlreadyExistsException e) {
                if (!Files.readSymbolicLink(link).equals(target))
                    throw new HutchException("the short layer name " + link + " is taken by " + Files.readSymbolicLink(link));
            }
        } catch (IOException e) {
            throw new HutchException("cannot make the short layer name " + link + ": " + e.getMessage(), e);
        }
    }
}
