package dev.hutch.runtime;

import dev.hutch.layer.HelperMount;
import dev.hutch.layer.RootfsPlan;
import dev.hutch.security.SecurityPlan;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.spec.NamespaceSharing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the helper's launch file for one container: a pure function of decisions already made
 * (rootfs plan, cgroup files, network plan, volume mounts, process), so it is unit-tested without
 * root. The mount order matters and is the one runc uses: the rootfs first, then the kernel
 * filesystems, then the container's own /etc files, then volumes (so a volume may cover anything
 * but the rootfs), and the read-only remount of the rootfs last (done by the helper).
 */
public final class LaunchPlanner {

    /** Everything the launch file is made of. */
    public record Inputs(String id, ContainerSpec spec, ResolvedProcess process, UserResolver.Ids ids,
                         String hostname, Path stateDir, Path logPath, boolean detach, RootfsPlan rootfs,
                         List<Path> cgroupProcs, Path oomFile, boolean newNetNamespace, List<String> joinNamespaces,
                         Path etcDir, List<HelperMount> volumeMounts, String selfLimits,
                         Path syncFifo, boolean loopbackUp, SecurityPlan security, Path deviceProgramDir) {

        /** Without a security plan: docker's default capabilities and paths, and no seccomp (planning tests). */
        public Inputs(String id, ContainerSpec spec, ResolvedProcess process, UserResolver.Ids ids,
                      String hostname, Path stateDir, Path logPath, boolean detach, RootfsPlan rootfs,
                      List<Path> cgroupProcs, Path oomFile, boolean newNetNamespace, List<String> joinNamespaces,
                      Path etcDir, List<HelperMount> volumeMounts, String selfLimits,
                      Path syncFifo, boolean loopbackUp) {
            this(id, spec, process, ids, hostname, stateDir, logPath, detach, rootfs, cgroupProcs, oomFile, newNetNamespace,
                    joinNamespaces, etcDir, volumeMounts, selfLimits, syncFifo, loopbackUp, null, null);
        }
    }

    private LaunchPlanner() {}

    /** null (docker's default), private and shareable mean a namespace of the container's own. */
    static boolean ownNamespace(String mode) {
        return mode == null || mode.equals("private") || mode.equals("shareable") || mode.equals("none");
    }

    public static LaunchFile plan(Inputs in) {
        LaunchFile f = new LaunchFile();
        f.put("id", in.id());
        f.put("state_dir", in.stateDir().toString());
        f.put("sync_fifo", in.syncFifo().toString());
        f.put("detach", in.detach());
        f.put("tty", in.spec().process().tty());
        f.put("stdin", in.spec().process().interactive());
        f.put("log_path", in.logPath().toString());
        // --pid/--ipc/--uts/--cgroupns host or container:NAME: no namespace of the container's own
        // (a joined one comes as a join_ns line)
        NamespaceSharing sharing = in.spec().namespaces();
        List<String> ns = new ArrayList<>();
        if (ownNamespace(sharing.pid())) ns.add("pid");
        ns.add("mnt");
        if (ownNamespace(sharing.uts())) ns.add("uts");
        if (ownNamespace(sharing.ipc())) ns.add("ipc");
        if (in.newNetNamespace() && in.joinNamespaces().stream().noneMatch(j -> j.startsWith("net "))) ns.add("net");
        if (ownNamespace(sharing.cgroupns())) ns.add("cgroup");
        boolean userns = in.spec().security().userns().isAuto();
        if (userns) ns.add("user");
        f.put("namespaces", String.join(",", ns));
        f.putAll("join_ns", in.joinNamespaces());
        if (in.loopbackUp()) f.put("loopback_up", "1");
        for (Path p : in.cgroupProcs()) f.put("cgroup_procs", p.toString());
        if (in.oomFile() != null) f.put("oom_file", in.oomFile().toString());
        f.put("hostname", in.hostname());
        f.put("rootfs", in.rootfs().rootfs().toString());

        List<HelperMount> mounts = new ArrayList<>();
        for (HelperMount m : in.rootfs().mounts()) {
            if (userns && m.fstype().equals("overlay") && m.target().equals("/")) {
                // The layers belong to the host's root: the monitor (host root) mounts each as an
                // idmapped mount for the container's user namespace and the overlay over them,
                // in init's mount namespace, before "go" (docs/helper-protocol.md).
                for (java.nio.file.Path layer : in.rootfs().lowerDirs()) f.put("idmap_layer", layer.toString());
                f.put("rootfs_overlay", m.data());
            } else {
                mounts.add(m);
            }
        }
        SecurityPlan sec = in.security();
        for (HelperMount m : DockerDefaults.kernelMounts()) {
            // --privileged: /sys writable, as docker mounts it
            if (sec != null && sec.sysfsWritable() && m.fstype().equals("sysfs"))
            {
                List<String> flags = new ArrayList<>(m.flags());
                flags.remove("ro");
                m = new HelperMount(m.source(), m.target(), m.fstype(), flags, m.data());
            }
            if (m.target().equals("/dev/shm")) {
                String ipc = sharing.ipc();
                if ("none".equals(ipc) || NamespaceSharing.containerOf(ipc) != null) continue; // none: docker mounts none; container: the helper's shm_from
                // host: the host's /dev/shm, as docker binds it
                if ("host".equals(ipc)) m = new HelperMount("/dev/shm", "/dev/shm", "", List.of("rbind", "mkdir"), "");
            }
            Long shmSize = in.spec().kernel().shmSize();
            if (shmSize != null && m.target().equals("/dev/shm") && m.fstype().equals("tmpfs")) // --shm-size: the tmpfs' size, in bytes as docker writes it
                m = new HelperMount(m.source(), m.target(), m.fstype(), m.flags(), "mode=1777,size=" + shmSize);
            mounts.add(m);
        }
        for (String name : List.of("hosts", "hostname", "resolv.conf")) {
            mounts.add(new HelperMount(in.etcDir().resolve(name).toString(), "/etc/" + name, "",
                    List.of("bind", "file"), ""));
        }
        mounts.addAll(in.volumeMounts());
        for (HelperMount m : mounts) f.put("mount", m.toLine());
        f.putAll("device", DockerDefaults.DEVICES);
        if (sec != null) f.putAll("device", sec.deviceNodes());
        f.putAll("symlink", DockerDefaults.SYMLINKS);
        f.putAll("masked_path", sec != null ? sec.maskedPaths() : DockerDefaults.MASKED_PATHS);
        f.putAll("readonly_path", sec != null ? sec.readonlyPaths() : DockerDefaults.READONLY_PATHS);
        if (sec != null && in.deviceProgramDir() != null) {
            byte[] prog = sec.deviceProgram();
            if (prog != null) f.put("cgroup_device_bpf", SecurityPlan.hex(prog) + " " + in.deviceProgramDir());
        }
        f.put("readonly_rootfs", in.spec().readOnlyRootfs());
        // --sysctl: written by init into its own /proc/sys after the mounts, before /proc/sys turns read-only
        in.spec().kernel().sysctls().forEach((name, value) -> f.put("sysctl", name + " " + value));
        if (in.spec().kernel().oomScoreAdj() != null) f.put("oom_score_adj", in.spec().kernel().oomScoreAdj());

        ResolvedProcess p = in.process();
        f.putAll("env", p.env());
        f.put("cwd", p.cwd());
        f.put("uid", in.ids().uid());
        f.put("gid", in.ids().gid());
        for (Long g : in.ids().additionalGids()) f.put("additional_gid", g);
        f.putAll("cap", sec != null ? sec.capabilities() : DockerDefaults.CAPABILITIES);
        f.putAll("rlimit", Rlimits.lines(in.spec().kernel(), in.selfLimits()));
        f.put("no_new_privs", sec == null || sec.noNewPrivileges());
        if (sec != null && sec.seccompHex() != null) f.put("seccomp", sec.seccompHex());
        f.putAll("arg", p.argv());
        return f;
    }
}
