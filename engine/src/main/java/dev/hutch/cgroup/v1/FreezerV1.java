package dev.hutch.cgroup.v1;

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
 * v1 {@code freezer}: freezer.state goes THAWED → FREEZING → FROZEN. Writing FROZEN only starts
 * freezing; the state says when every task has stopped, so we wait for it (tasks in an
 * uninterruptible sleep can keep it FREEZING for a while; then we write FROZEN again, as runc does).
 */
public final class FreezerV1 implements Controller, Freezer {
    static final String STATE = "freezer.state";
    private static final long TIMEOUT_MILLIS = 5_000;

    @Override public String name() { return "freezer"; }

    @Override public int version() { return 1; }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }

    @Override
    public void freeze(CgroupDir dir) {
        boolean done = Settle.until(TIMEOUT_MILLIS, () -> {
            write(dir, "FROZEN");
            return dir.read(STATE).equals("FROZEN");
        });
        if (!done) {
            write(dir, "THAWED");
            throw new HutchException("cannot pause: the processes in " + dir + " did not all stop within "
                    + TIMEOUT_MILLIS / 1000 + " s (one may be stuck in the kernel); try again");
        }
    }

    @Override
    public void thaw(CgroupDir dir) {
        boolean done = Settle.until(TIMEOUT_MILLIS, () -> {
            write(dir, "THAWED");
            return dir.read(STATE).equals("THAWED");
        });
        if (!done) throw new HutchException("cannot unpause: " + dir + "/" + STATE + " stays " + dir.read(STATE));
    }

    @Override
    public boolean frozen(CgroupDir dir) {
        String s = dir.readIfPresent(STATE);
        return "FROZEN".equals(s);
    }

    private static void write(CgroupDir dir, String state) {
        new CgroupWriter(dir.fs()).write(CgroupWrite.internal(dir, STATE, state));
    }
}
