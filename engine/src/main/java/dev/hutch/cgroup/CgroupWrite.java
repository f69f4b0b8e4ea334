package dev.hutch.cgroup;

import java.nio.file.Path;

/**
 * One planned write to a cgroup file. Controllers return lists of these (in the order the kernel
 * needs them); {@link CgroupWriter} performs them. Keeping the plan as data is what lets the unit
 * tests check "which file gets which value" without root.
 *
 * @param file       the control file
 * @param value      the text written
 * @param flag       the docker flag this write comes from, e.g. {@code --memory}; null for writes
 *                   hutch makes on its own (cpuset copy-down, device rules, subtree_control)
 * @param flagValue  the flag's value as the user gave it, for the error message
 */
public record CgroupWrite(Path file, String value, String flag, String flagValue) {

    public static CgroupWrite of(CgroupDir dir, String file, Object value, String flag, Object flagValue) {
        return new CgroupWrite(dir.file(file), String.valueOf(value), flag, flagValue == null ? null : String.valueOf(flagValue));
    }

    /** A write that is not the direct effect of a flag. */
    public static CgroupWrite internal(CgroupDir dir, String file, String value) {
        return new CgroupWrite(dir.file(file), value, null, null);
    }

    public String fileName() { return file.getFileName().toString(); }

    @Override public String toString() { return fileName() + "=" + value; }
}
