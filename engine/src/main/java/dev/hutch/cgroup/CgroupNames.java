package dev.hutch.cgroup;

import dev.hutch.HutchException;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The naming rules that keep hutch inside its own part of the cgroup tree: the parent must start
 * with "hutch" (so nothing is ever made or removed outside {@code <root>/hutch...}), and a
 * container id is one plain path component.
 */
public final class CgroupNames {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final Pattern PARENT = Pattern.compile("hutch[A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)*");

    private CgroupNames() {}

    public static String checkParent(String parent) {
        if (parent == null || !PARENT.matcher(parent).matches() || parent.contains(".."))
            throw new HutchException("cgroup parent \"" + parent + "\" is not allowed: it must be a relative path whose first part starts with"
                    + " \"hutch\" (e.g. hutch or hutch/ci); check HUTCH_CGROUP_PARENT");
        return parent;
    }

    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.contains(".."))
            throw new HutchException("container id \"" + id + "\" cannot name a cgroup: use letters, digits, '_', '.', '-'");
        return id;
    }

    /** {@code <mount>/<parent>/<id>}. */
    public static Path dir(Hierarchy h, String parent, String id) { return h.mountPoint().resolve(parent).resolve(id); }
}
