package dev.hutch.rootfs.recipe;

import java.time.Duration;
import java.util.List;

/**
 * What a build did: the final image, and per step whether it came from the cache or ran, how long
 * it took and the image it left.
 *
 * @param containersStarted how many run steps started a container (0 for a fully cached build)
 */
public record BuildReport(String imageId, List<StepReport> steps, int containersStarted) {
    public enum Status { CACHED, RUN }

    /** @param index 1-based, as printed */
    public record StepReport(int index, Step step, Status status, Duration took, String imageId) {}

    public BuildReport {
        steps = List.copyOf(steps);
    }

    public boolean allCached() { return steps.stream().allMatch(s -> s.status() == Status.CACHED); }
}
