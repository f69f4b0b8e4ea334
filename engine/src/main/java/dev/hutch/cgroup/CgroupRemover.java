package dev.hutch.cgroup;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Empties and removes a container's cgroup directories; safe to call again and again.
 *
 * <p>Order: SIGKILL every pid listed in the container's own cgroup.procs (and in any child cgroup
 * it made), then thaw if frozen — a frozen task only dies once thawed, and killing first means it
 * never runs user code again — then wait until no task is left, then rmdir deepest first,
 * retrying while the kernel still says EBUSY (a dying task can linger for a moment).
 */
final class CgroupRemover {
    private static final long EMPTY_TIMEOUT_MILLIS = 10_000, RMDIR_TIMEOUT_MILLIS = 2_000;

    record FreezerAt(Freezer freezer, CgroupDir dir) {}

    private final CgroupFs fs;
    private final ProcessKiller killer;

    CgroupRemover(CgroupFs fs, ProcessKiller killer) {
        this.fs = fs;
        this.killer = killer;
    }

    void remove(List<CgroupDir> leaves, Optional<FreezerAt> freezer) {
        boolean[] thawed = {false};
        List<Long> survivors = new ArrayList<>();
        boolean empty = Settle.until(EMPTY_TIMEOUT_MILLIS, () -> {
            List<Long> pids = pidsIn(allDirs(leaves));
            survivors.clear();
            survivors.addAll(pids);
            if (pids.isEmpty()) return true;
            pids.forEach(killer::kill);
            if (!thawed[0] && freezer.isPresent() && freezer.get().dir().exists() && freezer.get().freezer().frozen(freezer.get().dir())) {
                freezer.get().freezer().thaw(freezer.get().dir());
                thawed[0] = true;
            }
            return false;
        });
        if (!empty)
            throw new HutchException("cannot remove the container's cgroup: processes " + survivors + " are still in it after SIGKILL"
                    + " (stuck in the kernel?); try again later");
        List<CgroupDir> all = allDirs(leaves);
        for (int i = all.size() - 1; i >= 0; i--) rmdir(all.get(i));
    }

    /** Each leaf followed by its descendants, parents before children. */
    private List<CgroupDir> allDirs(List<CgroupDir> leaves) {
        List<CgroupDir> out = new ArrayList<>();
        for (CgroupDir leaf : leaves) if (leaf.exists()) addTree(leaf, out);
        return out;
    }

    private void addTree(CgroupDir dir, List<CgroupDir> out) {
        out.add(dir);
        try {
            for (var child : fs.subdirectories(dir.path())) addTree(new CgroupDir(fs, child), out);
        } catch (IOException e) {
            // gone meanwhile: nothing below it either
        }
    }

    private static List<Long> pidsIn(List<CgroupDir> dirs) {
        TreeSet<Long> pids = new TreeSet<>();
        for (CgroupDir d : dirs) {
            String text = d.readIfPresent("cgroup.procs");
            if (text != null) pids.addAll(CgroupText.pids(text));
        }
        return List.copyOf(pids);
    }

    private void rmdir(CgroupDir dir) {
        IOException[] last = {null};
        boolean gone = Settle.until(RMDIR_TIMEOUT_MILLIS, () -> {
            try {
                fs.rmdir(dir.path());
                return true;
            } catch (NoSuchFileException e) {
                return true;
            } catch (FileSystemException e) {
                last[0] = e;
                return e.getReason() == null || !e.getReason().contains("busy") ? fail(e) : false;
            } catch (IOException e) {
                last[0] = e;
                return fail(e);
            }
        });
        if (!gone) throw new HutchException("cannot remove cgroup " + dir + ": " + last[0].getMessage(), last[0]);
    }

    private static boolean fail(IOException e) { throw new HutchException("cannot remove cgroup: " + e.getMessage(), e); }
}
