package dev.hutch.cgroup;

import dev.hutch.HutchException;
import dev.hutch.spec.Resources;
import dev.hutch.util.UndoStack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes the container's cgroup in every hierarchy: {@code <mount>/<parent>/<id>}. The parent is
 * made on demand and kept (like docker's); the container's own directories are undone if any
 * later step fails.
 *
 * <p>Order per hierarchy: make each level, then let each controller prepare it (cpuset v1 copy-down,
 * v2 subtree_control) before going a level deeper; then the defaults (device rules) and the limits.
 * Nothing joins the cgroup until create returns: the caller writes init's pid to the procs files.
 */
public final class HostCgroupManager implements CgroupManager {
    private final CgroupLayout layout;
    private final List<Binding> bindings;
    private final String parent;
    private final CgroupFs fs;
    private final ProcessKiller killer;
    private final DeviceNumbers devices;

    public HostCgroupManager(CgroupLayout layout, List<Binding> bindings, String parent, CgroupFs fs, ProcessKiller killer) {
        this(layout, bindings, parent, fs, killer, DeviceNumbers.host());
    }

    public HostCgroupManager(CgroupLayout layout, List<Binding> bindings, String parent, CgroupFs fs, ProcessKiller killer,
                             DeviceNumbers devices) {
        this.devices = devices;
        this.layout = layout;
        this.bindings = List.copyOf(bindings);
        this.parent = CgroupNames.checkParent(parent);
        this.fs = fs;
        this.killer = killer;
    }

    @Override
    public void check(Resources resources) {
        for (Resources.DeviceRate d : resources.deviceReadBps()) devices.majorMinor("--device-read-bps", d.path());
        for (Resources.DeviceRate d : resources.deviceWriteBps()) devices.majorMinor("--device-write-bps", d.path());
        for (Resources.DeviceIops d : resources.deviceReadIops()) devices.majorMinor("--device-read-iops", d.path());
        for (Resources.DeviceIops d : resources.deviceWriteIops()) devices.majorMinor("--device-write-iops", d.path());
        for (Resources.DeviceWeight d : resources.blkioWeightDevice()) devices.majorMinor("--blkio-weight-device", d.path());
    }

    @Override
    public String containerParent(String requested) {
        if (requested == null || requested.isEmpty()) return null;
        String p = requested.replaceAll("^/+|/+$", "");
        boolean inside = p.equals(parent) || p.startsWith(parent + "/");
        if (!inside || p.contains("..") || p.contains("//") || !p.matches("[A-Za-z0-9_.@/-]+"))
            throw new dev.hutch.spec.InvalidSpecException("--cgroup-parent", requested, "is outside hutch's own cgroup parent \""
                    + parent + "\": hutch makes cgroups only there (use " + parent + " or " + parent + "/GROUP)");
        return p.equals(parent) ? null : p;
    }

    @Override
    public ContainerCgroup create(String containerId, Resources resources, List<DeviceRule> devices) {
        return create(containerId, resources, devices, null);
    }

    @Override
    public ContainerCgroup create(String containerId, Resources resources, List<DeviceRule> devices, String containerParent) {
        CgroupNames.checkId(containerId);
        String under = containerParent == null ? parent : containerParent(containerParent) == null ? parent : containerParent;
        Resources r = CreateDefaults.apply(resources);
        List<Attached> attached = attach(containerId, under);
        CgroupWriter writer = new CgroupWriter(fs);
        UndoStack undo = new UndoStack();
        try {
            for (Map.Entry<Hierarchy, List<Controller>> e : byHierarchy(attached).entrySet())
                makeDirectories(e.getKey(), e.getValue(), under, containerId, writer, undo);
            for (Attached a : attached) {
                writer.writeAll(a.controller().defaults(a.dir(), devices));
                writer.writeAll(a.controller().plan(r, a.dir()));
            }
            undo.commit();
            return new HostContainerCgroup(attached, fs, killer, subParents(attached));
        } catch (RuntimeException e) {
            for (String failure : undo.undoAll()) e.addSuppressed(new HutchException(failure));
            throw e;
        }
    }

    private void makeDirectories(Hierarchy h, List<Controller> controllers, String under, String id, CgroupWriter writer, UndoStack undo) {
        Path leaf = CgroupNames.dir(h, under, id);
        // --cgroup-parent's groups below our own parent go when they are empty again
        List<Path> subs = subParents(h, leaf);
        for (int i = subs.size() - 1; i >= 0; i--) { // undone deepest first, after the leaf
            Path sub = subs.get(i);
            undo.push("cgroup " + sub, () -> removeIfEmpty(sub));
        }
        CgroupDir up = new CgroupDir(fs, h.mountPoint());
        for (Path level : levels(h.mountPoint(), leaf)) {
            CgroupDir dir = new CgroupDir(fs, level);
            boolean made = mkdir(level);
            if (level.equals(leaf)) {
                if (!made)
                    throw new HutchException("cgroup " + leaf + " already exists (left by an earlier container with id " + id
                            + "?); remove it with rmdir if nothing runs in it");
                undo.push("cgroup " + leaf, () -> rmdir(leaf));
            }
            for (Controller c : controllers) writer.writeAll(c.prepare(up, dir));
            up = dir;
        }
    }

    /** The directories from just below the mount down to the leaf, top first. */
    private static List<Path> levels(Path mount, Path leaf) {
        List<Path> out = new ArrayList<>();
        for (Path p = leaf; !p.equals(mount); p = p.getParent()) out.add(0, p);
        return out;
    }

    private boolean mkdir(Path dir) {
        try {
            return fs.mkdir(dir);
        } catch (IOException e) {
            throw new HutchException("cannot create cgroup " + dir + ": " + e.getMessage() + " (hutch needs root to manage cgroups)", e);
        }
    }

    private void rmdir(Path dir) {
        try {
            fs.rmdir(dir);
        } catch (IOException e) {
            throw new HutchException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ContainerCgroup open(String containerId, List<String> recordedPaths) {
        CgroupNames.checkId(containerId);
        if (recordedPaths == null || recordedPaths.isEmpty()) return new HostContainerCgroup(attach(containerId, parent), fs, killer, List.of());
        List<Attached> attached = new ArrayList<>();
        for (Binding b : bindings) {
            for (String recorded : recordedPaths) {
                Path p = Path.of(recorded);
                if (!p.startsWith(b.hierarchy().mountPoint())) continue;
                // A state file is not trusted to point anywhere: only a directory named for the
                // container, below the hierarchy's own mount, is ever read, written or removed.
                if (!p.isAbsolute() || !p.normalize().equals(p) || !p.getFileName().toString().equals(containerId))
                    throw new HutchException("refusing the cgroup path " + recorded + " recorded for container " + containerId
                            + ": it must be an absolute path ending in the container's id; the state file may be damaged");
                attached.add(new Attached(b.controller(), b.hierarchy(), new CgroupDir(fs, p)));
                break;
            }
        }
        return new HostContainerCgroup(attached, fs, killer, subParents(attached));
    }

    /** The --cgroup-parent groups between our own parent and each leaf, deepest first. */
    private List<Path> subParents(List<Attached> attached) {
        List<Path> out = new ArrayList<>();
        for (Attached a : attached) for (Path p : subParents(a.hierarchy(), a.dir().path())) if (!out.contains(p)) out.add(p);
        return out;
    }

    private List<Path> subParents(Hierarchy h, Path leaf) {
        List<Path> out = new ArrayList<>();
        Path own = h.mountPoint().resolve(parent);
        if (!leaf.startsWith(own)) return out;
        for (Path p = leaf.getParent(); p != null && p.startsWith(own) && !p.equals(own); p = p.getParent()) out.add(p);
        return out;
    }

    private void removeIfEmpty(Path dir) {
        try {
            fs.rmdir(dir); // the kernel refuses a cgroup with children or tasks: that is the check
        } catch (IOException e) {
            // still used by another container, or gone already
        }
    }

    @Override
    public String describe() { return layout.describe() + " (parent " + parent + ")"; }

    @Override
    public void removeParentIfEmpty() {
        for (Hierarchy h : layout.hierarchies()) {
            // deepest first; rmdir refuses a cgroup that still has children or tasks, which is the check
            List<Path> levels = levels(h.mountPoint(), h.mountPoint().resolve(parent));
            for (int i = levels.size() - 1; i >= 0; i--) {
                try {
                    if (!fs.exists(levels.get(i))) continue;
                    fs.rmdir(levels.get(i));
                } catch (IOException e) {
                    break;
                }
            }
        }
    }

    private List<Attached> attach(String id, String under) {
        List<Attached> out = new ArrayList<>();
        for (Binding b : bindings)
            out.add(new Attached(b.controller(), b.hierarchy(), new CgroupDir(fs, CgroupNames.dir(b.hierarchy(), under, id))));
        return out;
    }

    private static Map<Hierarchy, List<Controller>> byHierarchy(List<Attached> attached) {
        Map<Hierarchy, List<Controller>> m = new LinkedHashMap<>();
        for (Attached a : attached) m.computeIfAbsent(a.hierarchy(), k -> new ArrayList<>()).add(a.controller());
        return m;
    }
}
