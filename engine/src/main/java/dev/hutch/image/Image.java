package dev.hutch.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An image: an ordered list of layers (bottom first) and a config.
 *
 * @param id        sha256 of the image's config JSON, "sha256:..."
 * @param repoTags  e.g. "busybox:latest"
 * @param layerDirs the unpacked layer directories, bottom first, as overlay lowerdirs take them reversed
 */
public record Image(String id, List<String> repoTags, List<String> layerDigests, List<Path> layerDirs,
                    ImageConfig config) {
    public Image {
        repoTags = List.copyOf(repoTags);
        layerDigests = List.copyOf(layerDigests);
        layerDirs = List.copyOf(layerDirs);
    }

    public String shortId() {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }
}
