package dev.hutch.cgroup;

import dev.hutch.spec.Resources;

/**
 * What docker fills in at create time: {@code -m} alone allows as much swap again, i.e.
 * memory+swap = 2 × memory (dockerd's adaptContainerSettings). Only where the kernel accounts
 * swap does this reach a file; callers that want no swap at all (an OOM test) pass
 * {@code --memory-swap} equal to {@code --memory}.
 */
public final class CreateDefaults {
    private CreateDefaults() {}

    public static Resources apply(Resources r) {
        if (r.memory() != null && r.memorySwap() == null) return r.toBuilder().memorySwap(r.memory() * 2).build();
        return r;
    }
}
