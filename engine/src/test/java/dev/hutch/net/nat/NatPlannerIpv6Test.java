package dev.hutch.net.nat;

import dev.hutch.spec.PortMapping;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The ip6tables side of dual-stack networks: same chains and comments, IPv6 forms. */
class NatPlannerIpv6Test {

    @Test
    void networkRulesMasqueradeTheIpv6SubnetAndHaveNoLoopbackRule() {
        List<String> lines = NatPlanner.networkRules("hutch-x", "fd68::/64", true).stream().map(IptablesRule::restoreLine).toList();
        assertEquals("-A HUTCH-POSTROUTING -s fd68::/64 ! -o hutch-x -m comment --comment hutch-net:hutch-x -j MASQUERADE", lines.get(0));
        assertTrue(lines.stream().noneMatch(l -> l.contains("127.0.0.0/8") || l.contains("::1")), lines.toString());
        assertTrue(lines.stream().allMatch(l -> l.contains("HUTCH-")), lines.toString());
    }

    @Test
    void containerRulesUseBracketsAndHostRoutes() {
        List<IptablesRule> r = NatPlanner.containerRules("abc", "fd68::2", "hutch-x", List.of(new PortMapping("", 8080, 80, "tcp")), true);
        assertEquals("-A HUTCH-DNAT ! -d ::1/128 -p tcp -m tcp --dport 8080 -m comment --comment hutch:abc -j DNAT --to-destination [fd68::2]:80",
                r.get(0).restoreLine());
        assertTrue(r.get(1).restoreLine().contains("-s fd68::2/128 -d fd68::2/128"), r.get(1).restoreLine());
    }

    @Test
    void portsGoToTheFamilyOfTheirHostAddress() {
        assertTrue(NatPlanner.inFamily("", true) && NatPlanner.inFamily("", false), "no address: both, as docker binds 0.0.0.0 and [::]");
        assertTrue(NatPlanner.inFamily("0.0.0.0", false) && !NatPlanner.inFamily("0.0.0.0", true));
        assertTrue(NatPlanner.inFamily("::", true) && !NatPlanner.inFamily("::", false));
    }

    @Test
    void theIpv6TwinRunsTheIp6tablesPrograms() {
        List<List<String>> ran = new java.util.ArrayList<>();
        Iptables fake = new Iptables() {
            @Override
            protected String run(List<String> argv, String stdin) {
                ran.add(argv);
                return "";
            }
        };
        Iptables v6 = fake.forIpv6();
        v6.save();
        v6.restore("*nat\nCOMMIT\n");
        v6.iptables(List.of("iptables", "-w", "-t", "nat", "-N", "HUTCH-DNAT"));
        fake.save();
        assertEquals(List.of("ip6tables-save"), ran.get(0));
        assertEquals("ip6tables-restore", ran.get(1).get(0));
        assertEquals(List.of("ip6tables", "-w", "-t", "nat", "-N", "HUTCH-DNAT"), ran.get(2));
        assertEquals(List.of("iptables-save"), ran.get(3));
    }
}
