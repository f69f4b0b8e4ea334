package dev.hutch.cli.api;

import dev.hutch.cli.api.DockerCli.Result;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The Docker API side of dual-stack networks, driven by the real docker CLI against a
 * {@code hutch engine serve} on the test's own roots: {@code docker network create --ipv6} with one
 * subnet per family, what {@code docker network inspect} and {@code docker inspect} then show, and
 * the container's IPv6 address seen from the host in its namespace.
 */
@RequiresRoot
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class Ipv6DockerApiTest {
    static DockerCli cli;
    static TestRoots roots;

    @BeforeAll
    static void setUp() throws Exception {
        cli = DockerCli.start();
        roots = cli.roots();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli != null) cli.close(); // no container left, roots removed
    }

    static Result docker(String... args) throws Exception { return cli.run(null, args); }

    static String ok(String... args) throws Exception {
        Result r = docker(args);
        assertEquals(0, r.code(), "docker " + String.join(" ", args) + ": " + r);
        return r.out();
    }

    @Test
    void dockerNetworkCreateIpv6MakesADualStackNetwork() throws Exception {
        String tag = roots.tag(), net = "d6" + tag, octet = Integer.toString(Integer.parseInt(tag.substring(0, 2), 16));
        String v4 = "10.223." + octet + ".0/24", v6 = "fd68:7574:6368:" + tag.substring(0, 4) + "::/64";
        ok("network", "create", "--ipv6", "--subnet", v4, "--subnet", v6, net);
        String box = "d6-" + tag;
        try {
            String shown = ok("network", "inspect", "--format", "{{.EnableIPv6}} {{range .IPAM.Config}}{{.Subnet}} {{end}}", net).trim();
            String v6Shown = dev.hutch.net.ipam.Ipv6Cidr.parse("s", v6).toString();
            assertEquals("true " + v4 + " " + v6Shown, shown);
            ok("run", "-d", "--name", box, "--network", net, "busybox", "sleep", "60");
            String ip6 = ok("inspect", "--format", "{{range .NetworkSettings.Networks}}{{.GlobalIPv6Address}}{{end}}", box).trim();
            assertTrue(dev.hutch.net.ipam.Ipv6Cidr.parse("s", v6).contains(dev.hutch.net.ipam.Ipv6.parse(ip6)), ip6);
            String pid = ok("inspect", "--format", "{{.State.Pid}}", box).trim();
            Process ip = new ProcessBuilder("nsenter", "-t", pid, "-n", "--", "ip", "-6", "-o", "addr", "show", "dev", "eth0")
                    .redirectErrorStream(true).start();
            String addr = new String(ip.getInputStream().readAllBytes());
            assertTrue(ip.waitFor(20, TimeUnit.SECONDS));
            assertTrue(addr.contains(ip6 + "/64"), "the address docker inspect shows is on eth0: " + addr);
        } finally {
            docker("rm", "-f", box);
            ok("network", "rm", net);
        }
        Result bad = docker("network", "create", "--subnet", v6, "x" + tag);
        assertNotEquals(0, bad.code());
        assertTrue(bad.err().contains("add --ipv6"), bad.err());
    }

    static String addressesOn(String pid, String dev) throws Exception {
        Process ip = new ProcessBuilder("nsenter", "-t", pid, "-n", "--", "ip", "-6", "-o", "addr", "show", "dev", dev)
                .redirectErrorStream(true).start();
        String addr = new String(ip.getInputStream().readAllBytes());
        assertTrue(ip.waitFor(20, TimeUnit.SECONDS));
        return addr;
    }

    /** docker run --ip6 sends IPAMConfig.IPv6Address, docker network connect --ip6 EndpointConfig's. */
    @Test
    void dockerRunAndConnectIp6GiveTheAddressAskedFor() throws Exception {
        String tag = roots.tag(), net = "i6" + tag, octet = Integer.toString(Integer.parseInt(tag.substring(0, 2), 16));
        String v4 = "10.222." + octet + ".0/24", prefix = "fd68:7574:6368:" + tag.substring(0, 3) + "e::";
        String other = "i4" + tag, v4other = "10.216." + octet + ".0/24";
        ok("network", "create", "--ipv6", "--subnet", v4, "--subnet", prefix + "/64", net);
        ok("network", "create", "--subnet", v4other, other);
        String box = "i6-" + tag, late = "i6late-" + tag;
        try {
            ok("run", "-d", "--name", box, "--network", net, "--ip6", prefix + "c:1", "busybox", "sleep", "60");
            String pid = ok("inspect", "--format", "{{.State.Pid}}", box).trim();
            assertTrue(addressesOn(pid, "eth0").contains(prefix + "c:1/64"), "docker run --ip6 gave the address");
            Result taken = docker("run", "--rm", "--network", net, "--ip6", prefix + "c:1", "busybox", "true");
            assertNotEquals(0, taken.code());
            assertTrue(taken.err().contains("already in use"), taken.err());

            ok("run", "-d", "--name", late, "--network", other, "busybox", "sleep", "60");
            ok("network", "connect", "--ip6", prefix + "c:2", net, late);
            String latePid = ok("inspect", "--format", "{{.State.Pid}}", late).trim();
            assertTrue(addressesOn(latePid, "eth1").contains(prefix + "c:2/64"), "docker network connect --ip6 gave the address");
        } finally {
            docker("rm", "-f", box);
            docker("rm", "-f", late);
            ok("network", "rm", net);
            ok("network", "rm", other);
        }
    }
}
