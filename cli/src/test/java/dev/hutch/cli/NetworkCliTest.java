package dev.hutch.cli;

import dev.hutch.cli.HutchProcess.Result;
import dev.hutch.net.NetworkLeaks;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The network verbs as a user types them, each `hutch` in its own process: network
 * create|ls|inspect|connect|disconnect|rm, netns ls, debug, and ps's PORTS column. The test's
 * default bridge is its own ({@code HUTCH_BRIDGE=hutchc<tag>} on 10.235.N.0/24), so the host's
 * {@code hutch0} is never touched.
 */
@RequiresRoot
@RequiresCommand({"iptables", "nsenter", "ip"})
class NetworkCliTest {
    static TestRoots roots;
    static String tag;
    static int octet;

    @BeforeAll
    static void setUp() {
        roots = new TestRoots();
        tag = roots.tag();
        octet = Integer.parseInt(tag.substring(0, 2), 16);
    }

    @AfterAll
    static void tearDown() {
        try {
            var config = roots.config().withBridge("hutchc" + tag, "10.235." + octet + ".0/24");
            var engine = Engines.forHost(config);
            List<String> veths = new ArrayList<>();
            for (var s : engine.list(true)) {
                veths.add("hv" + s.id().substring(0, 10));
                engine.remove(s.id(), true, true);
            }
            new dev.hutch.net.Networks(engine.networking()).removeDefaultBridge();
            // ours: names with the tag (bridges, netns files, rules), our containers' veths, our leases
            List<String> ours = NetworkLeaks.find(config).stream().filter(l -> l.contains(tag) || l.startsWith("lease ")
                    || veths.stream().anyMatch(l::contains)).toList();
            assertEquals(List.of(), ours, "the test left network state behind");
        } finally {
            roots.close();
        }
    }

    static Result hutch(String... args) {
        Map<String, String> env = new java.util.HashMap<>(roots.environment());
        env.put("HUTCH_BRIDGE", "hutchc" + tag);
        env.put("HUTCH_BRIDGE_SUBNET", "10.235." + octet + ".0/24");
        return HutchProcess.run(env, List.of(), args);
    }

    static String ok(String... args) throws Exception {
        Result r = hutch(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        return r.out();
    }

    @Test
    void theNetworkVerbsWorkOnARunningContainer() throws Exception {
        String net = "c" + tag, subnet = "10.234." + octet + ".0/24", gw = "10.234." + octet + ".254";
        String id = ok("network", "create", "--subnet", subnet, "--gateway", gw, net).trim();
        assertEquals(64, id.length(), id);
        assertTrue(ok("network", "ls").lines().anyMatch(l -> l.matches(id.substring(0, 12) + "\\s+" + net + "\\s+bridge\\s+" + subnet.replace(".", "\\.") + "\\s+.*")));
        assertTrue(ok("network", "ls", "-q").lines().toList().contains(id.substring(0, 12)));
        assertTrue(ok("network", "ls", "--format", "json").contains("\"Name\":\"" + net + "\""));
        assertTrue(ok("network", "inspect", net).contains("\"gateway\": \"" + gw + "\""));

        String box = "box-" + tag;
        ok("run", "-d", "--name", box, "busybox", "sleep", "300");
        ok("network", "connect", "--alias", "extra", "--ip", "10.234." + octet + ".7", id.substring(0, 12), box);
        assertTrue(ok("debug", box, "--", "ip", "-o", "-4", "addr", "show", "eth1").contains("10.234." + octet + ".7/24"));
        assertTrue(ok("network", "inspect", net).contains(box), "inspect lists the member");

        Result busy = hutch("network", "rm", net);
        assertEquals(1, busy.code(), "rm of a used network fails: " + busy);
        assertTrue(busy.err().contains("in use by container(s) " + box), busy.err());

        // kept across a restart, as dockerd keeps it in the container's settings
        ok("restart", "-t", "1", box);
        assertTrue(ok("debug", box, "--", "ip", "-o", "-4", "addr", "show", "eth1").contains("10.234." + octet + ".7/24"),
                "a restart wires the network connected while it ran");

        ok("network", "disconnect", net, box);
        assertEquals(1, hutch("debug", box, "--", "ip", "link", "show", "eth1").code(), "eth1 is gone");
        ok("restart", "-t", "1", box);
        assertEquals(1, hutch("debug", box, "--", "ip", "link", "show", "eth1").code(), "and stays gone after a restart");
        assertEquals(net + "\n", ok("network", "rm", net));
        assertEquals(1, hutch("network", "inspect", net).code(), "inspect of a removed network fails, as docker's");
        ok("rm", "-f", box);
    }

    /**
     * hutch network connect/disconnect of a created and of a stopped container: recorded, and the
     * next start wires it (the requested address on eth1, seen with hutch debug from the host);
     * disconnect of the stopped container takes the recorded endpoint away (no eth1 at the
     * next start); already connected and not connected are refused with one line.
     */
    @Test
    void connectAndDisconnectOfACreatedOrStoppedContainerTakeEffectAtItsStart() throws Exception {
        String net = "r" + tag, subnet = "10.232." + octet + ".0/24", ip = "10.232." + octet + ".9", box = "rec-" + tag;
        ok("network", "create", "--subnet", subnet, net);
        try {
            ok("create", "--name", box, "busybox", "sleep", "300");
            ok("network", "connect", "--alias", "late", "--ip", ip, net, box);
            Result twice = hutch("network", "connect", net, box);
            assertEquals(125, twice.code(), twice.toString());
            assertTrue(twice.err().contains("already exists in network " + net), twice.err());
            assertTrue(ok("network", "inspect", net).lines().noneMatch(l -> l.contains(box)), "no lease before the start");

            ok("start", box);
            assertTrue(ok("debug", box, "--", "ip", "-o", "-4", "addr", "show", "eth1").contains(ip + "/24"), "the start wired the recorded endpoint");
            assertTrue(ok("network", "inspect", net).contains(box), "a member once it runs");

            ok("stop", "-t", "1", box);
            ok("network", "disconnect", net, box);
            Result notThere = hutch("network", "disconnect", net, box);
            assertEquals(125, notThere.code(), notThere.toString());
            assertTrue(notThere.err().contains("is not connected to network " + net), notThere.err());
            ok("start", box);
            assertEquals(1, hutch("debug", box, "--", "ip", "link", "show", "eth1").code(), "no eth1 after the disconnect");
            assertTrue(ok("debug", box, "--", "ip", "-o", "-4", "addr", "show", "eth0").contains("10.235." + octet + "."), "still on its default bridge");
        } finally {
            hutch("rm", "-f", box);
            hutch("network", "rm", net);
        }
    }

    @Test
    void debugRunsAHostToolInTheNamespaceAndReturnsItsCode() throws Exception {
        String box = "dbg-" + tag;
        ok("run", "-d", "--name", box, "--network", "none", "busybox", "sleep", "30");
        try {
            List<String> links = ok("debug", box, "--", "ip", "-o", "link").lines().toList();
            assertEquals(1, links.size(), links.toString());
            assertTrue(links.get(0).startsWith("1: lo: "), links.get(0));
            assertEquals(3, hutch("debug", box, "--", "sh", "-c", "exit 3").code());
            assertEquals(127, hutch("debug", box, "--", "no-such-tool-" + tag).code());
            Result missing = hutch("debug", "nobody-" + tag, "--", "ip", "addr");
            assertEquals(1, missing.code(), "docker's code for \"No such container\"");
        } finally {
            ok("rm", "-f", box);
        }
    }

    @Test
    void netnsLsShowsTheContainersNamespaceWithItsAddress() throws Exception {
        String box = "ns-" + tag;
        ok("run", "-d", "--name", box, "busybox", "sleep", "30");
        try {
            String out = ok("netns", "ls");
            List<String> lines = out.lines().toList();
            int at = -1;
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("hutch-" + box)) at = i;
            assertTrue(at >= 0, out);
            assertTrue(lines.get(at).contains("container " + box), lines.get(at));
            String eth0 = lines.get(at + 2);
            assertTrue(eth0.trim().startsWith("eth0") && eth0.contains("10.235." + octet + "."), out);
            assertTrue(out.lines().anyMatch(l -> l.contains("  host")), "the host's own namespace is listed");
            assertTrue(ok("netns", "ls", "--format", "json").contains("\"hutch-" + box + "\""));
        } finally {
            ok("rm", "-f", box);
        }
    }

    @Test
    void psShowsThePortAsPublished() throws Exception {
        String box = "ports-" + tag;
        ok("run", "-d", "--name", box, "-p", "127.0.0.1::80", "busybox", "sleep", "30");
        try {
            String ports = ok("ps", "--format", "{{.Ports}}").trim();
            assertTrue(ports.matches("127\\.0\\.0\\.1:\\d+->80/tcp") && !ports.startsWith("127.0.0.1:0-"), ports);
        } finally {
            ok("rm", "-f", box);
        }
    }
}
