package dev.hutch.archive;

/**
 * Caps that stop a hostile or broken archive from filling the disk (a tar can claim any size, and
 * a gzip bomb expands a thousandfold).
 *
 * @param maxEntryBytes largest single file
 * @param maxTotalBytes sum of all file sizes
 * @param maxEntries    number of entries
 */
public record TarLimits(long maxEntryBytes, long maxTotalBytes, long maxEntries) {
    private static final long GIB = 1024L * 1024 * 1024;

    /** Generous enough for any real image layer; the caller's HUTCH_MAX_LAYER_SIZE (bytes) overrides it. */
    public static TarLimits defaults(dev.hutch.config.CallerEnvironment caller) {
        String env = caller.get("HUTCH_MAX_LAYER_SIZE");
        long total = env == null || env.isBlank() ? 64 * GIB : Long.parseLong(env.trim());
        return new TarLimits(Math.min(16 * GIB, total), total, 10_000_000);
    }
}
