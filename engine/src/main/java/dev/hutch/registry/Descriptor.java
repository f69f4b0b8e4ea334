package dev.hutch.registry;

import dev.hutch.json.JsonReader;

import java.util.regex.Pattern;

/** A content descriptor of the distribution spec: what a manifest says a blob is. */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {
    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    static Descriptor from(JsonReader r, String where) {
        String digest = r.string("digest");
        if (digest == null || !SHA256.matcher(digest).matches())
            throw new RegistryException(RegistryException.Kind.BAD_MANIFEST, "the manifest's " + where + " has digest \"" + digest
                    + "\": hutch verifies sha256 digests only");
        Platform platform = null;
        if (r.has("platform")) {
            JsonReader p = r.object("platform");
            platform = Platform.normalized(p.string("os", ""), p.string("architecture", ""), p.string("variant"));
        }
        return new Descriptor(r.string("mediaType", ""), digest, r.number("size", -1), platform);
    }

    /** The short id docker prints for a layer: 12 hex digits of its digest. */
    public String shortId() { return digest.substring(7, 19); }
}
