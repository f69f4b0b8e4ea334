package dev.hutch.net.nat;

import dev.hutch.spec.PortMapping;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NatPlannerTest {

    @Test
    void hooksJumpFromTheBuiltInChains() {
        List<List<String>> argv = NatPlanner.hooks().stream().map(IptablesRule::argv).toList();
        assertEquals(List.of(
                List.of("iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL",
                        "-m", "comment", "--comment", "hutch-hook", "-j", "HUTCH-DNAT"),
                List.of("iptables", "-w", "-t", "nat", "-A", "OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL",
                        "-m", "comment", "--comment", "hutch-hook", "-j", "HUTCH-DNAT"),
                List.of("iptables", "-w", "-t", "nat", "-A", "POSTROUTING", "-m", "comment", "--comment", "hutch-hook",
                        "-j", "HUTCH-POSTROUTING"),
                List.of("iptables", "-w", "-t", "filter", "-I", "FORWARD", "-m", "comment", "--comment", "hutch-hook",
                        "-j", "HUTCH-FORWARD")), argv);
    }

    @Test
    void networkRules() {
        List<String> lines = NatPlanner.networkRules("hutch0", "10.199.0.0/16").stream()
                .map(r -> r.table() + " " + r.restoreLine()).toList();
        assertEquals(List.of(
                "nat -A HUTCH-POSTROUTING -s 10.199.0.0/16 ! -o hutch0 -m comment --comment hutch-net:hutch0 -j MASQUERADE",
                "nat -A HUTCH-POSTROUTING -s 127.0.0.0/8 -o hutch0 -m comment --comment hutch-net:hutch0 -j MASQUERADE",
                "filter -A HUTCH-FORWARD -i hutch0 -o hutch0 -m comment --comment hutch-net:hutch0 -j ACCEPT",
                "filter -A HUTCH-FORWARD -o hutch0 -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment hutch-net:hutch0 -j ACCEPT",
                "filter -A HUTCH-FORWARD -i hutch0 -o hutch+ -m comment --comment hutch-net:hutch0 -j DROP",
                "filter -A HUTCH-FORWARD -i hutch0 -m comment --comment hutch-net:hutch0 -j ACCEPT"), lines);
    }

    @Test
    void containerRulesPerPort() {
        List<IptablesRule> rules = NatPlanner.containerRules("abc", "10.199.0.5", "hutch0", List.of(
                new PortMapping("", 8080, 80, "tcp"), new PortMapping("127.0.0.1", 5353, 53, "udp")));
        assertEquals(6, rules.size());
        assertEquals(List.of("iptables", "-w", "-t", "nat", "-A", "HUTCH-DNAT", "-p", "tcp", "-m", "tcp", "--dport", "8080",
                "-m", "comment", "--comment", "hutch:abc", "-j", "DNAT", "--to-destination", "10.199.0.5:80"), rules.get(0).argv());
        assertEquals(List.of("iptables", "-w", "-t", "nat", "-A", "HUTCH-POSTROUTING", "-s", "10.199.0.5/32", "-d", "10.199.0.5/32",
                "-p", "tcp", "-m", "tcp", "--dport", "80", "-m", "comment", "--comment", "hutch:abc", "-j", "MASQUERADE"), rules.get(1).argv());
        assertEquals(List.of("iptables", "-w", "-t", "filter", "-I", "HUTCH-FORWARD", "-d", "10.199.0.5/32", "-o", "hutch0",
                "-p", "tcp", "-m", "tcp", "--dport", "80", "-m", "comment", "--comment", "hutch:abc", "-j", "ACCEPT"), rules.get(2).argv());
        assertEquals(List.of("iptables", "-w", "-t", "nat", "-A", "HUTCH-DNAT", "-d", "127.0.0.1/32", "-p", "udp", "-m", "udp",
                "--dport", "5353", "-m", "comment", "--comment", "hutch:abc", "-j", "DNAT", "--to-destination", "10.199.0.5:53"),
                rules.get(3).argv());
        assertTrue(rules.stream().allMatch(r -> "hutch:abc".equals(r.comment())));
        assertThrows(IllegalArgumentException.class,
                () -> NatPlanner.containerRules("abc", "10.199.0.5", "hutch0", List.of(new PortMapping("", 0, 80, "tcp"))));
    }

    @Test
    void restoreScriptGroupsByTable() {
        String script = NatPlanner.restoreScript(NatPlanner.containerRules("abc", "10.199.0.5", "hutch0",
                List.of(new PortMapping("", 8080, 80, "tcp"))));
        assertEquals("""
                *nat
                -A HUTCH-DNAT -p tcp -m tcp --dport 8080 -m comment --comment hutch:abc -j DNAT --to-destination 10.199.0.5:80
                -A HUTCH-POSTROUTING -s 10.199.0.5/32 -d 10.199.0.5/32 -p tcp -m tcp --dport 80 -m comment --comment hutch:abc -j MASQUERADE
                COMMIT
                *filter
                -I HUTCH-FORWARD -d 10.199.0.5/32 -o hutch0 -p tcp -m tcp --dport 80 -m comment --comment hutch:abc -j ACCEPT
                COMMIT
                """, script);
        assertEquals("", NatPlanner.restoreScript(List.of()));
    }
}
