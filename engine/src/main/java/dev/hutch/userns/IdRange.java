package dev.hutch.userns;

/**
 * A run of host ids, {@code [start, start + count)}: an entry of /etc/subuid, or one container's
 * share of hutch's entry.
 */
public record IdRange(long start, long count) {
    public IdRange {
        if (start < 0 || count <= 0) throw new IllegalArgumentException("bad id range " + start + "+" + count);
    }

    /** One past the last id. */
    public long end() { return start + count; }

    public boolean overlaps(IdRange o) { return start < o.end() && o.start < end(); }

    public boolean contains(long id) { return id >= start && id < end(); }

    @Override
    public String toString() { return start + "-" + (end() - 1); }
}
