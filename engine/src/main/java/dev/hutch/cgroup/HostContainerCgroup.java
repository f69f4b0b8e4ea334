package dev.hutch.cgroup;

import dev.hutch.HutchException;
import dev.hutch.spec.Resources;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The directories of one container and what can be done with them; see {@link ContainerCgroup}. */
final class HostContainerCgroup implements ContainerCgroup {
    private final List<Attached> attached;
    private final CgroupFs fs;
    private final ProcessKiller killer;

    /** --cgroup-parent groups below the engine's own parent, deepest first: removed after the container's if empty. */
    private final List<Path> subParents;

    HostContainerCgroup(List<Attached> attached, CgroupFs fs, ProcessKiller killer) { this(attached, fs, killer, List.of()); }

    HostContainerCgroup(List<Attached> attached, CgroupFs fs, ProcessKiller killer, List<Path> subParents) {
        this.subParents = List.copyOf(subParents);
        this.attached = List.copyOf(attached);
        this.fs = fs;
        this.killer = killer;
    }

    @Override
    public List<Path> paths() { return dirs().stream().map(CgroupDir::path).toList(); }

    @Override
    public List<Path> procsFiles() { return dirs().stream().map(d -> d.file("cgroup.procs")).toList(); }

    @Override
    public Path oomFile() {
        return memory().map(a -> a.dir().file(((MemoryCounters) a.controller()).oomFileName())).orElse(null);
    }

    @Override
    public Path deviceProgramDir() {
        for (Attached a : attached) if (a.controller() instanceof dev.hutch.cgroup.v2.DevicesV2) return a.dir().path();
        return null;
    }

    @Override
    public boolean oomKilled() {
        return memory().map(a -> ((MemoryCounters) a.controller()).oomKills(a.dir()) > 0).orElse(false);
    }

    @Override
    public void update(Resources resources) {
        CgroupWriter writer = new CgroupWriter(fs);
        for (Attached a : attached) writer.writeAll(a.controller().plan(resources, a.dir()));
    }

    @Override
    public void freeze() { withFreezer((f, d) -> f.freeze(d)); }

    @Override
    public void thaw() { withFreezer((f, d) -> f.thaw(d)); }

    @Override
    public boolean frozen() {
        Optional<Attached> a = freezer();
        return a.isPresent() && ((Freezer) a.get().controller()).frozen(a.get().dir());
    }

    @Override
    public List<Long> pids() {
        TreeSet<Long> pids = new TreeSet<>();
        for (CgroupDir d : dirs()) {
            String text = d.readIfPresent("cgroup.procs");
            if (text != null) pids.addAll(CgroupText.pids(text));
        }
        return List.copyOf(pids);
    }

    @Override
    public CgroupStats stats() {
        if (dirs().stream().noneMatch(CgroupDir::exists))
            throw new HutchException("the cgroup of this container is gone (" + paths() + "); is the container removed?");
        CgroupStats.Builder b = CgroupStats.builder();
        for (Attached a : attached) a.controller().readStats(a.dir(), b);
        return b.build();
    }

    @Override
    public void destroy() {
        new CgroupRemover(fs, killer).remove(dirs(), freezer().map(a -> new CgroupRemover.FreezerAt((Freezer) a.controller(), a.dir())));
        for (Path p : subParents) {
            try {
                fs.rmdir(p); // refused while another container's cgroup is in it: then it stays
            } catch (java.io.IOException e) {
                // in use, or gone
            }
        }
    }

    /** Every distinct directory (co-mounted controllers share one), in binding order. */
    private List<CgroupDir> dirs() {
        List<CgroupDir> out = new ArrayList<>();
        for (Attached a : attached) if (!out.contains(a.dir())) out.add(a.dir());
        return out;
    }

    private Optional<Attached> memory() {
        return attached.stream().filter(a -> a.controller() instanceof MemoryCounters).findFirst();
    }

    private Optional<Attached> freezer() {
        return attached.stream().filter(a -> a.controller() instanceof Freezer).findFirst();
    }

    private interface FreezerAction { void run(Freezer f, CgroupDir d); }

    private void withFreezer(FreezerAction action) {
        Attached a = freezer().orElseThrow(() -> new HutchException(
                "cannot pause or unpause: this host has no freezer cgroup (neither v1 freezer nor cgroup v2 is mounted)"));
        action.run((Freezer) a.controller(), a.dir());
    }
}
