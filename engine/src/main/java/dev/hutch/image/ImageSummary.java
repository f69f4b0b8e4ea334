package dev.hutch.image;

import java.time.Instant;

/** What {@code hutch images} prints for one image. */
public record ImageSummary(Image image, Instant created, long size) {}
