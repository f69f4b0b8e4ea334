package dev.hutch.image;

import java.util.List;

/**
 * What {@code rmi} did, in docker's words: the tags it removed ("Untagged: busybox:latest") and the
 * image and layer digests it deleted ("Deleted: sha256:...").
 */
public record RemovalReport(List<String> untagged, List<String> deleted) {
    public RemovalReport {
        untagged = List.copyOf(untagged);
        deleted = List.copyOf(deleted);
    }

    public List<String> lines() {
        return java.util.stream.Stream.concat(untagged.stream().map(t -> "Untagged: " + t),
                deleted.stream().map(d -> "Deleted: " + d)).toList();
    }
}
