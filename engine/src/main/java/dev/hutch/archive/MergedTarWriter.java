package dev.hutch.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes what a union mount of some layers would show, as one flat tar, without mounting: for each
 * name the topmost layer that has it wins; whiteouts hide a name from the layers below; an opaque
 * directory stops the layers below from adding to it. Used by {@code export} (a container's upper
 * layer over its image's layers) and for squashing an image. Layers are in overlay's format, or in
 * aufs's ({@code .wh.} files) for containers of the aufs driver.
 */
public final class MergedTarWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final boolean aufsFormat;
    private final LayerTarWriter leaves = new LayerTarWriter();

    private MergedTarWriter(boolean aufsFormat) { this.aufsFormat = aufsFormat; }

    /** Host id → id in the tar (a user namespace's files shifted back); null: as on disk. */
    private java.util.function.LongUnaryOperator owners;

    public static void write(List<Path> layersTopFirst, boolean aufsFormat, OutputStream out) throws IOException {
        write(layersTopFirst, aufsFormat, out, null);
    }

    public static void write(List<Path> layersTopFirst, boolean aufsFormat, OutputStream out,
                             java.util.function.LongUnaryOperator owners) throws IOException {
        TarArchiveOutputStream tar = TarStreams.newOutput(out);
        MergedTarWriter w = new MergedTarWriter(aufsFormat);
        w.owners = owners;
        w.walk("", new ArrayList<>(layersTopFirst), tar);
        tar.finish();
    }

    private record Winner(Path path, int layerIndex) {}

    /** @param dirsTopFirst this directory in each layer that has it as a directory, cut below an opaque one */
    private void walk(String prefix, List<Path> dirsTopFirst, TarArchiveOutputStream tar) throws IOException {
        TreeMap<String, Winner> winners = new TreeMap<>();
        Set<String> decided = new HashSet<>();
        for (int i = 0; i < dirsTopFirst.size(); i++) {
            for (Path child : sortedChildren(dirsTopFirst.get(i))) {
                String name = child.getFileName().toString();
                if (aufsFormat && name.startsWith(Whiteouts.PREFIX)) {
                    String hidden = Whiteouts.whitedOutName(name);
                    if (hidden != null) decided.add(hidden);
                    continue;
                }
                if (!decided.add(name)) continue;
                if (!aufsFormat && isOtherFile(child) && Whiteouts.isOverlayWhiteout(child)) continue;
                winners.put(name, new Winner(child, i));
            }
        }
        for (Map.Entry<String, Winner> w : winners.entrySet()) {
            Path p = w.getValue().path();
            String name = prefix + w.getKey();
            Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW);
            if (owners != null) {
                a = new java.util.HashMap<>(a);
                a.put("uid", (int) owners.applyAsLong(Integer.toUnsignedLong((Integer) a.get("uid"))));
                a.put("gid", (int) owners.applyAsLong(Integer.toUnsignedLong((Integer) a.get("gid"))));
            }
            if (!Files.isDirectory(p, NOFOLLOW)) {
                leaves.writeLeaf(p, name, a, tar);
                continue;
            }
            tar.putArchiveEntry(LayerTarWriter.entry(name + "/", TarConstants.LF_DIR, a));
            tar.closeArchiveEntry();
            walk(name + "/", lowerDirsOf(w.getKey(), w.getValue(), dirsTopFirst), tar);
        }
    }

    /** The child dir in the winning layer and in the layers below it, until one hides the rest. */
    private List<Path> lowerDirsOf(String name, Winner winner, List<Path> parentDirsTopFirst) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int j = winner.layerIndex(); j < parentDirsTopFirst.size(); j++) {
            Path candidate = parentDirsTopFirst.get(j).resolve(name);
            if (j > winner.layerIndex()) {
                if (aufsFormat && Files.exists(parentDirsTopFirst.get(j).resolve(Whiteouts.PREFIX + name), NOFOLLOW)) break;
                if (!Files.exists(candidate, NOFOLLOW)) continue;
                if (!Files.isDirectory(candidate, NOFOLLOW)) break; // a file, or an overlay whiteout
            }
            out.add(candidate);
            if (isOpaque(candidate)) break;
        }
        return out;
    }

    private boolean isOpaque(Path dir) throws IOException {
        return aufsFormat ? Files.exists(dir.resolve(Whiteouts.OPAQUE_MARKER), NOFOLLOW) : Whiteouts.isOverlayOpaque(dir);
    }

    private static boolean isOtherFile(Path p) {
        return !Files.isRegularFile(p, NOFOLLOW) && !Files.isDirectory(p, NOFOLLOW) && !Files.isSymbolicLink(p);
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return out;
    }
}
