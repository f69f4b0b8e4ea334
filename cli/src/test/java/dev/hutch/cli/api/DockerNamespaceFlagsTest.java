package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real docker CLI's {@code --ipc}, {@code --pid}, {@code --volumes-from} and
 * {@code --device-read-iops} through hutch's Docker API (HostConfig IpcMode, PidMode, VolumesFrom,
 * BlkioDeviceReadIOps), against a private service on the test's own roots: the effect seen from
 * outside (namespace links, the cgroup's iops line) and inside (the other container's process and
 * volume), and docker's exit code 125 for a container that is not there.
 */
@RequiresRoot
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DockerNamespaceFlagsTest {
    static DockerCli cli;
    static TestRoots roots;

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli == null) return;
        try {
            cli.stopService();
            assertEquals(List.of(), roots.leftoverContainers(), "containers left by the API tests");
            assertEquals(List.of(), roots.leftoverCgroups());
        } finally {
            cli.close();
        }
    }

    static Result docker(String... args) throws Exception { return cli.run(null, args); }

    static String ok(String... args) throws Exception {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ": " + r);
        return r.out().trim();
    }

    static String ns(long pid, String type) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
    }

    @Test
    void dockersNamespaceVolumesFromAndIopsFlagsReachTheEngine() throws Exception {
        String disk = List.of("/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/xvda").stream().filter(d -> Files.exists(Path.of(d)))
                .findFirst().orElse(null);
        assumeTrue(disk != null, "no /dev/vda, sda, nvme0n1 or xvda on this host to throttle");
        String a = "dk-ns-a-" + roots.tag(), b = "dk-ns-b-" + roots.tag(), vol = "dk-ns-vol-" + roots.tag();
        try {
            ok("run", "-d", "--name", a, "--network", "none", "--ipc", "shareable", "-v", vol + ":/data",
                    "busybox", "sh", "-c", "echo from-a > /data/f; exec sleep 4343");
            ok("run", "-d", "--name", b, "--network", "none", "--ipc", "container:" + a, "--pid", "container:" + a,
                    "--volumes-from", a + ":ro", "--device-read-iops", disk + ":1000", "busybox", "sleep", "60");
            long pa = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", a));
            long pb = Long.parseLong(ok("inspect", "--format", "{{.State.Pid}}", b));
            assertEquals(ns(pa, "ipc"), ns(pb, "ipc"), "IpcMode container: did not share the ipc namespace");
            assertEquals(ns(pa, "pid"), ns(pb, "pid"), "PidMode container: did not share the pid namespace");
            assertEquals("shareable container:" + a, ok("inspect", "--format", "{{.HostConfig.IpcMode}}", a) + " "
                    + ok("inspect", "--format", "{{.HostConfig.IpcMode}}", b));

            Result inside = docker("exec", b, "sh", "-c", "ps -o args | grep -c '^sleep 4343'; cat /data/f; echo x > /data/g || echo refused");
            assertEquals("1\nfrom-a\nrefused\n", inside.out(), inside.toString());

            // the iops line in the container's cgroup: v1 blkio or v2 io.max
            String rdev = majorMinor(disk);
            boolean found = false;
            for (String line : Files.readAllLines(Path.of("/proc/" + pb + "/cgroup"))) {
                String[] f = line.split(":", 3);
                Path root = roots.config().cgroupRoot();
                for (Path dir : f[1].isEmpty() ? List.of(root.resolve(f[2].substring(1)), root.resolve("unified").resolve(f[2].substring(1)))
                        : List.of(root.resolve(f[1]).resolve(f[2].substring(1)))) {
                    Path v1 = dir.resolve("blkio.throttle.read_iops_device"), v2 = dir.resolve("io.max");
                    if (Files.exists(v1)) found |= Files.readString(v1).strip().equals(rdev + " 1000");
                    else if (Files.exists(v2)) found |= Files.readString(v2).contains(rdev + " ") && Files.readString(v2).contains("riops=1000");
                }
            }
            assertTrue(found, "no read iops line for " + rdev + " in the cgroup of " + b);

            Result missing = docker("run", "--rm", "--network", "none", "--pid", "container:dk-ns-none-" + roots.tag(), "busybox", "true");
            assertEquals(125, missing.code(), missing.toString());
            assertTrue(missing.err().contains("names no such container"), missing.err());
        } finally {
            docker("rm", "-f", b);
            docker("rm", "-f", a);
            docker("volume", "rm", "-f", vol);
        }
        assertEquals("", ok("ps", "-a", "-q"));
    }

    static String majorMinor(String device) throws Exception {
        long rdev = (Long) Files.getAttribute(Path.of(device), "unix:rdev");
        return (((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L)) + ":" + ((rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L));
    }
}
