package dev.hutch.cgroup;

/** Sends SIGKILL to one pid read from the container's own cgroup.procs. A seam for tests. */
public interface ProcessKiller {

    void kill(long pid);

    static ProcessKiller host() { return HostKiller.INSTANCE; }

    /**
     * ProcessHandle, not JNA: destroyForcibly is SIGKILL and checks the pid's start time itself.
     * Nothing of ProcessHandle is touched until a kill is needed: its class initialisation starts
     * the JDK's reaper thread pool (about 10 ms), which the run path should not pay.
     */
    final class HostKiller implements ProcessKiller {
        static final HostKiller INSTANCE = new HostKiller();

        private HostKiller() {}

        @Override
        public void kill(long pid) {
            if (pid == ProcessHandle.current().pid()) return;
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
