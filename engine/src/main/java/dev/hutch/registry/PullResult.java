package dev.hutch.registry;

import dev.hutch.image.Image;

/**
 * @param manifestDigest the digest of the image's manifest (of the chosen platform), as docker prints it
 * @param downloaded     false when the name already meant this image, stored whole ("Image is up to date")
 * @param layersFetched  how many layers were downloaded (the rest were present by diff id)
 */
public record PullResult(Image image, String manifestDigest, boolean downloaded, int layersFetched) {}
