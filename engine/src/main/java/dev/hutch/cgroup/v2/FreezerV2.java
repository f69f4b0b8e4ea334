package dev.hutch.cgroup.v2;

import dev.hutch.HutchException;
import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.CgroupWriter;
import dev.hutch.cgroup.Controller;
import dev.hutch.cgroup.Freezer;
import dev.hutch.cgroup.Settle;
import dev.hutch.spec.Resources;

import java.util.List;

/**
 * v2's freezer is part of the core (cgroup.freeze, kernel 5.2+), not a controller: nothing to
 * enable in subtree_control. Writing 1 starts freezing; cgroup.events says {@code frozen 1} when done.
 */
public final class FreezerV2 implements Controller, Freezer {
    static final String FREEZE = "cgroup.freeze", EVENTS = "cgroup.events";
    private static final long TIMEOUT_MILLIS = 5_000;

    @Override public String name() { return "freezer"; }

    @Override public int version() { return 2; }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }

    @Override
    public void freeze(CgroupDir dir) {
        write(dir, "1");
        if (!Settle.until(TIMEOUT_MILLIS, () -> frozen(dir))) {
            write(dir, "0");
            throw new HutchException("cannot pause: " + dir + " did not report frozen within " + TIMEOUT_MILLIS / 1000 + " s; try again");
        }
    }

    @Override
    public void thaw(CgroupDir dir) {
        write(dir, "0");
        if (!Settle.until(TIMEOUT_MILLIS, () -> !frozen(dir)))
            throw new HutchException("cannot unpause: " + dir + " still reports frozen");
    }

    @Override
    public boolean frozen(CgroupDir dir) { return dir.flatKeyed(EVENTS).getOrDefault("frozen", 0L) == 1; }

    private static void write(CgroupDir dir, String value) {
        new CgroupWriter(dir.fs()).write(CgroupWrite.internal(dir, FREEZE, value));
    }
}
