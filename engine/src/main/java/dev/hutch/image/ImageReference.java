package dev.hutch.image;

import dev.hutch.spec.InvalidSpecException;

import java.util.regex.Pattern;

/**
 * Docker's short reference forms: {@code busybox} means {@code busybox:latest}; the tag is what
 * follows the last ':' after the last '/' (so {@code localhost:5000/app} has no tag). hutch has no
 * registry, so a {@code docker.io/library/} prefix is dropped rather than kept as part of the name.
 */
public final class ImageReference {
    public static final String DEFAULT_TAG = "latest";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]+([._-]+[a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,64}");

    private ImageReference() {}

    /** "busybox" → "busybox:latest"; refuses what can never be a name:tag. */
    public static String normalize(String reference) {
        String ref = reference.trim();
        for (String prefix : new String[]{"docker.io/library/", "docker.io/", "index.docker.io/library/"}) {
            if (ref.startsWith(prefix)) { ref = ref.substring(prefix.length()); break; }
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        String name = colon > slash ? ref.substring(0, colon) : ref;
        String tag = colon > slash ? ref.substring(colon + 1) : DEFAULT_TAG;
        if (!NAME.matcher(name).matches())
            throw new InvalidSpecException("IMAGE", reference, "is not a valid image name (lower-case letters, digits, '.', '_', '-' and '/'; e.g. busybox or myapp:1.0)");
        if (!TAG.matcher(tag).matches())
            throw new InvalidSpecException("IMAGE", reference, "has an invalid tag (letters, digits, '_', '.', '-'; at most 128)");
        return name + ":" + tag;
    }

    /** Like {@link #normalize} but null instead of an exception. */
    public static String normalizeOrNull(String reference) {
        try {
            return normalize(reference);
        } catch (InvalidSpecException e) {
            return null;
        }
    }

    /** The hex part of "sha256:abc..." or "abc...", if the text could be (a prefix of) an image id. */
    public static String idHex(String reference) {
        String r = reference.startsWith("sha256:") ? reference.substring(7) : reference;
        return HEX.matcher(r).matches() ? r : null;
    }
}
