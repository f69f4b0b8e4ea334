package dev.hutch.engine;

import dev.hutch.NotFoundException;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.spec.NamespaceSharing;
import dev.hutch.state.ContainerState;
import dev.hutch.state.StateStore;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host-aware half of {@code --ipc container:NAME} and {@code --pid container:NAME}: the named
 * container must exist and run (and, for ipc, be shareable, as docker asks), checked before
 * anything on the host changes; then the helper's {@code join_ns} lines point at its init's
 * namespaces and, for ipc, {@code shm_from} at its mount namespace (its /dev/shm becomes ours).
 *
 * When the joined container stops: a pid namespace dies with its init, so the kernel kills the
 * joiner too (docker's behaviour); a joined ipc namespace and /dev/shm live on while the joiner
 * uses them.
 */
record SharedNamespaces(List<String> joins, String shmFrom, boolean hostShm) {
    static final SharedNamespaces NONE = new SharedNamespaces(List.of(), null, false);

    /** The host's /dev/shm, for a container joining a host-IPC one: bound as --ipc host binds it. */
    static final dev.hutch.layer.HelperMount HOST_SHM = new dev.hutch.layer.HelperMount("/dev/shm", "/dev/shm", "",
            List.of("rbind", "mkdir"), "");

    static SharedNamespaces resolve(ContainerSpec spec, StateStore states, Path procRoot) {
        NamespaceSharing ns = spec.namespaces();
        List<String> joins = new ArrayList<>();
        String shmFrom = null;
        boolean hostShm = false;
        String ipcRef = NamespaceSharing.containerOf(ns.ipc());
        if (ipcRef != null) {
            ContainerState src = running(states, "--ipc", ns.ipc(), ipcRef, "IPC");
            String mode = src.spec().namespaces().ipc();
            if (!"shareable".equals(mode) && !"host".equals(mode))
                throw new InvalidSpecException("--ipc", ns.ipc(), "names container " + ipcRef + " whose IPC is not shareable"
                        + " (run it with --ipc shareable to share it)");
            joins.add("ipc " + procRoot.resolve(src.pid() + "/ns/ipc"));
            // a host-IPC container's /dev/shm is the host's: bound as --ipc host does
            if ("shareable".equals(mode)) shmFrom = procRoot.resolve(src.pid() + "/ns/mnt").toString();
            else hostShm = true;
        }
        String pidRef = NamespaceSharing.containerOf(ns.pid());
        if (pidRef != null) {
            ContainerState src = running(states, "--pid", ns.pid(), pidRef, "PID");
            joins.add("pid " + procRoot.resolve(src.pid() + "/ns/pid"));
        }
        return joins.isEmpty() ? NONE : new SharedNamespaces(joins, shmFrom, hostShm);
    }

    private static ContainerState running(StateStore states, String flag, String mode, String ref, String what) {
        ContainerState s;
        try {
            s = states.get(states.resolve(ref));
        } catch (NotFoundException e) {
            throw new InvalidSpecException(flag, mode, "names no such container: " + ref + " (see hutch ps -a)");
        }
        if (!s.isRunning() || s.pid() <= 0)
            throw new InvalidSpecException(flag, mode, "cannot join the " + what + " namespace of container " + ref
                    + ", which is not running (start it first)");
        return s;
    }
}
