package dev.hutch.registry;

import dev.hutch.image.ImageReference;
import dev.hutch.spec.InvalidSpecException;

import java.util.regex.Pattern;

/**
 * An image reference with docker's rules for where it lives: {@code alpine} is
 * {@code docker.io/library/alpine:latest}; the first path component is a registry host when it
 * has a '.' or a ':' or is {@code localhost} ({@code 127.0.0.1:5000/app}, {@code ghcr.io/org/app});
 * {@code NAME@sha256:HEX} names a manifest by digest. The name:tag part is checked by
 * {@link ImageReference}, so a pulled image is stored under the name {@code hutch images} shows and
 * {@code run} finds ({@code alpine:latest}, {@code 127.0.0.1:5000/some/image:tag}).
 *
 * @param registry   host[:port] as written ({@code docker.io} for Docker Hub)
 * @param repository the path in that registry ({@code library/alpine})
 * @param tag        the tag, or null when only a digest is given
 * @param digest     {@code sha256:HEX}, or null
 */
public record Reference(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    public static Reference parse(String text) {
        String ref = text.trim();
        String digest = null;
        int at = ref.indexOf('@');
        if (at >= 0) {
            digest = ref.substring(at + 1);
            ref = ref.substring(0, at);
            if (!DIGEST.matcher(digest).matches())
                throw new InvalidSpecException("IMAGE", text, "has an invalid digest (expected sha256: and 64 lower-case hex digits)");
        }
        int slash = ref.indexOf('/');
        String first = slash < 0 ? "" : ref.substring(0, slash);
        String registry;
        String rest;
        if (slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"))) {
            registry = first.equals("index.docker.io") ? DOCKER_HUB : first;
            rest = ref.substring(slash + 1);
        } else {
            registry = DOCKER_HUB;
            rest = ref;
        }
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        boolean tagged = colon > lastSlash;
        String path = tagged ? rest.substring(0, colon) : rest;
        String tag = tagged ? rest.substring(colon + 1) : (digest == null ? ImageReference.DEFAULT_TAG : null);
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) path = "library/" + path;
        if (path.isEmpty() || !path.equals(path.toLowerCase()))
            throw new InvalidSpecException("IMAGE", text, "is not a valid image name (lower-case letters, digits, '.', '_', '-' and '/'; e.g. alpine, nginx:1.27 or 127.0.0.1:5000/app:1)");
        Reference r = new Reference(registry, path, tag, digest);
        ImageReference.normalize(r.localName() + ":" + (tag == null ? ImageReference.DEFAULT_TAG : tag)); // docker's name and tag rules
        return r;
    }

    /** The repository as {@code hutch images} names it: Docker Hub's prefixes dropped, as {@link ImageReference} does. */
    public String localName() {
        if (!registry.equals(DOCKER_HUB)) return registry + "/" + repository;
        return repository.startsWith("library/") ? repository.substring("library/".length()) : repository;
    }

    /** The local tag this pull stores ({@code name:tag}), or null for a pull by digest alone (docker keeps those untagged too). */
    public String localTag() { return tag == null ? null : localName() + ":" + tag; }

    /** The manifest to ask for: the digest when given (it wins over a tag), else the tag. */
    public String manifestReference() { return digest != null ? digest : tag; }

    /** The host the HTTP requests go to: Docker Hub's API lives on another name than its references. */
    public String apiHost() { return apiHost(registry); }

    /** {@code docker.io} → {@code registry-1.docker.io}; any other registry is its own API host. */
    public static String apiHost(String registry) { return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry; }

    /** Docker's full form, as {@code docker pull} prints it last. */
    public String full() {
        return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** What docker prints after "Pulling from": the repository, Docker Hub's {@code library/} kept. */
    public String shownRepository() { return registry.equals(DOCKER_HUB) ? repository : registry + "/" + repository; }

    @Override
    public String toString() { return full(); }
}
