package dev.hutch.cli;

import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker's {@code --ipc}, {@code --pid}, {@code --uts} and {@code --cgroupns}, observed from the
 * host: the namespace links of the container's process under /proc/PID/ns against the host's and
 * the other container's, a process of one container in the other's {@code ps}, a file in one
 * container's /dev/shm read in the other's, the joiner killed with the pid namespace it joined,
 * and every bad value refused with one line and nothing left.
 */
@RequiresRoot
class NamespaceSharingTest {
    static TestRoots roots;

    @BeforeAll
    static void setUp() { roots = new TestRoots(); }

    @AfterAll
    static void tearDown() { if (roots != null) roots.close(); }

    static HutchProcess.Result hutch(String... args) { return HutchProcess.runShown(roots.environment(), args); }

    static String started(String... args) {
        HutchProcess.Result r = hutch(args);
        assertEquals(0, r.code(), r.err());
        return r.out().trim();
    }

    static long pid(String container) {
        return Long.parseLong(hutch("inspect", "--format", "{{.State.Pid}}", container).out().trim());
    }

    /** The namespace link, e.g. "ipc:[4026531839]", of a pid (or "self": this JVM, in the host's namespaces). */
    static String ns(Object pid, String type) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
    }

    @Test
    void byDefaultEveryNamespaceIsTheContainersOwn() throws Exception {
        String id = started("run", "-d", "--network", "none", "busybox", "sleep", "60");
        try {
            long pid = pid(id);
            for (String type : List.of("ipc", "pid", "uts", "cgroup"))
                assertNotEquals(ns("self", type), ns(pid, type), type + " namespace of the container is the host's");
            // private and shareable are the default's words
            String explicit = started("run", "-d", "--network", "none", "--ipc", "private", "--pid", "private", "--uts", "private",
                    "--cgroupns", "private", "busybox", "sleep", "60");
            try {
                long p2 = pid(explicit);
                for (String type : List.of("ipc", "pid", "uts", "cgroup")) {
                    assertNotEquals(ns("self", type), ns(p2, type), type);
                    assertNotEquals(ns(pid, type), ns(p2, type), type + ": two containers share one");
                }
            } finally {
                hutch("rm", "-f", explicit);
            }
        } finally {
            hutch("rm", "-f", id);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void hostModesUseTheHostsNamespaces() throws Exception {
        String id = started("run", "-d", "--network", "none", "--ipc", "host", "--pid", "host", "--uts", "host", "--cgroupns", "host",
                "busybox", "sleep", "60");
        try {
            long pid = pid(id);
            for (String type : List.of("ipc", "pid", "uts", "cgroup"))
                assertEquals(ns("self", type), ns(pid, type), type + " namespace is not the host's");
            // --pid host: the container's ps sees this test's JVM; --uts host: the host's name
            HutchProcess.Result ps = hutch("exec", id, "sh", "-c", "ls /proc | grep -x " + ProcessHandle.current().pid() + "; hostname");
            assertEquals(0, ps.code(), ps.err());
            String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            assertEquals(ProcessHandle.current().pid() + "\n" + host, ps.out().strip());
            // --ipc host: the host's /dev/shm
            Path probe = Path.of("/dev/shm/hutch-ns-test-" + roots.tag());
            Files.writeString(probe, "from the host");
            try {
                assertEquals("from the host", hutch("exec", id, "cat", "/dev/shm/" + probe.getFileName()).out());
                // joining a host-IPC container: the host's IPC namespace and /dev/shm again
                HutchProcess.Result joined = hutch("run", "--rm", "--network", "none", "--ipc", "container:" + id, "busybox", "sh", "-c",
                        "cat /dev/shm/" + probe.getFileName() + "; readlink /proc/self/ns/ipc");
                assertEquals("from the host" + ns("self", "ipc") + "\n", joined.out(), joined.err());
            } finally {
                Files.deleteIfExists(probe);
            }
        } finally {
            hutch("rm", "-f", id);
        }
        assertEquals(List.of(), roots.leftoverContainers());
    }

    @Test
    void containerModesJoinTheOtherContainersIpcAndPidNamespaces() throws Exception {
        String a = started("run", "-d", "--network", "none", "--ipc", "shareable", "busybox", "sleep", "4242");
        String b = null;
        try {
            assertEquals(0, hutch("exec", a, "sh", "-c", "echo shared > /dev/shm/note").code());
            b = started("run", "-d", "--network", "none", "--ipc", "container:" + a, "--pid", "container:" + a,
                    "busybox", "sleep", "60");
            long pa = pid(a), pb = pid(b);
            assertEquals(ns(pa, "ipc"), ns(pb, "ipc"), "ipc namespace not shared");
            assertEquals(ns(pa, "pid"), ns(pb, "pid"), "pid namespace not shared");
            assertNotEquals(ns(pa, "uts"), ns(pb, "uts"), "uts was not asked to be shared");
            assertNotEquals(ns("self", "ipc"), ns(pb, "ipc"));
            // A's process in B's ps, and A's /dev/shm is B's (POSIX shm lives there)
            HutchProcess.Result ps = hutch("exec", b, "ps", "-o", "args");
            assertTrue(ps.out().contains("sleep 4242"), "A's sleep is not in B's ps:\n" + ps.out());
            assertEquals("shared\n", hutch("exec", b, "cat", "/dev/shm/note").out());
            assertEquals(0, hutch("exec", b, "sh", "-c", "echo back > /dev/shm/reply").code());
            assertEquals("back\n", hutch("exec", a, "cat", "/dev/shm/reply").out());

            // docker: the joiner dies with the pid namespace it joined
            assertEquals(0, hutch("stop", "-t", "1", a).code());
            String status = "";
            for (int i = 0; i < 50 && !status.startsWith("exited"); i++) {
                status = hutch("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", b).out().trim();
                if (!status.startsWith("exited")) Thread.sleep(100);
            }
            assertEquals("exited 137", status, "B outlived the pid namespace it joined");
        } finally {
            if (b != null) hutch("rm", "-f", b);
            hutch("rm", "-f", a);
        }
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }

    @Test
    void badModesAndUnusableContainersAreRefusedWithOneLineAndNothingLeft() {
        String stopped = started("create", "--name", "ns-stopped-" + roots.tag(), "--ipc", "shareable", "busybox", "true");
        String priv = started("run", "-d", "--network", "none", "--name", "ns-private-" + roots.tag(), "busybox", "sleep", "60");
        try {
            String[][] cases = {
                    {"--ipc", "bogus", "--ipc: \"bogus\" is not an IPC mode"},
                    {"--ipc", "container:", "--ipc: \"container:\" names no container"},
                    {"--pid", "shareable", "--pid: \"shareable\" is not a PID mode"},
                    {"--uts", "container:x", "--uts: \"container:x\" is not a UTS mode"},
                    {"--cgroupns", "none", "--cgroupns: \"none\" is not a cgroup namespace mode"},
                    {"--ipc", "container:ns-missing-" + roots.tag(), "names no such container"},
                    {"--pid", "container:ns-missing-" + roots.tag(), "names no such container"},
                    {"--pid", "container:ns-stopped-" + roots.tag(), "which is not running"},
                    {"--ipc", "container:ns-stopped-" + roots.tag(), "which is not running"},
                    {"--ipc", "container:ns-private-" + roots.tag(), "whose IPC is not shareable"},
            };
            for (String[] c : cases) {
                HutchProcess.Result r = hutch("run", "--rm", "--network", "none", c[0], c[1], "busybox", "echo", "RAN");
                assertEquals(125, r.code(), c[0] + " " + c[1] + ": " + r.err());
                assertFalse(r.out().contains("RAN"), c[1]);
                assertEquals(1, r.err().trim().lines().count(), r.err());
                assertTrue(r.err().contains(c[2]), r.err());
            }
            HutchProcess.Result named = hutch("run", "--rm", "--network", "none", "--uts", "host", "--hostname", "x", "busybox", "true");
            assertEquals(125, named.code());
            assertTrue(named.err().contains("--hostname: \"x\" conflicts with --uts host"), named.err());
            HutchProcess.Result sysctl = hutch("run", "--rm", "--network", "none", "--ipc", "host", "--sysctl", "kernel.shmmax=1000000",
                    "busybox", "true");
            assertEquals(125, sysctl.code());
            assertTrue(sysctl.err().contains("is not allowed with --ipc host"), sysctl.err());
            // only the two containers made above are there: no record, name or cgroup of a refused run
            HutchProcess.Result ps = hutch("ps", "-a", "-q", "--no-trunc");
            assertEquals(List.of(priv, stopped).stream().sorted().toList(), ps.out().lines().sorted().toList());
        } finally {
            hutch("rm", "-f", stopped, priv);
        }
        assertEquals(List.of(), roots.leftoverContainers());
        assertEquals(List.of(), roots.leftoverCgroups());
    }
}
