package dev.hutch.userns;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * {@code --userns=auto} on this host: hutch's subordinate range (its entry in /etc/subuid and
 * /etc/subgid, added when missing) and each container's share of it.
 */
public final class UserNamespaces {
    private final SubIdFile subIds;
    private final IdRangeLeases leases;

    public UserNamespaces(SubIdFile subIds, Path usernsDir, Predicate<String> containerExists) {
        this.subIds = subIds;
        this.leases = new IdRangeLeases(usernsDir, containerExists, IdRangeLeases.DEFAULT_GRACE_MILLIS);
    }

    /** A range of {@code size} ids that no other container of this root holds. */
    public IdMapping allocate(String containerId, int size) {
        IdRange pool = subIds.ensureHutchRange();
        return IdMapping.of(leases.allocate(containerId, pool, size));
    }

    /** Idempotent: rm calls it for every container, whatever its record says. */
    public void release(String containerId) { leases.release(containerId); }

    public IdRangeLeases leases() { return leases; }

    /**
     * init, root of the container's namespace but nobody to the host, looks up the container's
     * rootfs and /etc files under this dir itself: every directory above it must be searchable by
     * others (docker makes its root 0711 for userns-remap for the same reason). Checked before
     * anything on the host changes; the message names the directory and the fix.
     */
    public static void checkSearchable(Path dir) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.isDirectory(p)) continue; // made later by hutch, 0755
            try {
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                if ((mode & 01) == 0)
                    throw new HutchException("--userns=auto: " + p + " is not searchable by others (mode "
                            + Integer.toOctalString(mode & 07777) + "), so the container's root cannot reach its files under "
                            + dir + "; chmod o+x " + p + " (or choose another HUTCH_LIB_ROOT)");
            } catch (IOException | UnsupportedOperationException e) {
                throw new HutchException("cannot read the mode of " + p + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Makes a host path owned by the container's root (host uid {@code hostStart}), leaving its
     * mode: the container's upper and work dirs, its /etc files, a new named volume.
     */
    public static void chownToRoot(Path p, IdMapping map) {
        try {
            Files.setAttribute(p, "unix:uid", (int) map.hostStart(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", (int) map.hostStart(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            throw new HutchException("cannot give " + p + " to the container's root (host uid " + map.hostStart() + "): "
                    + e.getMessage(), e);
        }
    }
}
