package dev.hutch.net.nat;

import dev.hutch.HutchException;
import dev.hutch.spec.PortMapping;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** NatRules against a fake iptables that keeps a ruleset in iptables-save form. */
class NatRulesTest {
    @TempDir Path tmp;

    /** Applies -N, -X and restore scripts to an in-memory save text, the way the real tools would. */
    static final class FakeIptables extends Iptables {
        final List<String> nat = new ArrayList<>(List.of(":PREROUTING ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]"));
        final List<String> filter = new ArrayList<>(List.of(":FORWARD ACCEPT [0:0]", "-A FORWARD -j SOMEONE-ELSES"));
        final List<String> ran = new ArrayList<>();

        @Override
        protected String run(List<String> argv, String stdin) {
            ran.add(String.join(" ", argv));
            if (argv.get(0).equals("iptables-save")) {
                return "*nat\n" + String.join("\n", nat) + "\nCOMMIT\n*filter\n" + String.join("\n", filter) + "\nCOMMIT\n";
            }
            if (argv.get(0).equals("iptables-restore")) {
                List<String> table = null;
                for (String line : stdin.split("\n")) {
                    if (line.equals("*nat")) table = nat;
                    else if (line.equals("*filter")) table = filter;
                    else if (line.startsWith("-A ")) table.add(quoteComment(line));
                    else if (line.startsWith("-I ")) table.add(firstRule(table), quoteComment("-A" + line.substring(2)));
                    else if (line.startsWith("-D ")) assertTrue(table.remove("-A" + line.substring(2)), "no such rule: " + line);
                }
                return "";
            }
            List<String> table = argv.get(3).equals("nat") ? nat : filter;
            if (argv.get(4).equals("-N")) table.add(0, ":" + argv.get(5) + " - [0:0]");
            if (argv.get(4).equals("-X")) table.remove(":" + argv.get(5) + " - [0:0]");
            return "";
        }

        private static int firstRule(List<String> table) {
            int i = 0;
            while (i < table.size() && table.get(i).startsWith(":")) i++;
            return i;
        }

        /** iptables-save prints comments in double quotes. */
        private static String quoteComment(String line) {
            return line.replaceAll("--comment (\\S+)", "--comment \"$1\"");
        }

        boolean mentionsHutch() {
            return (nat + " " + filter).toLowerCase().contains("hutch");
        }
    }

    @Test
    void publishAndUnpublishLeaveNothingBehind() {
        FakeIptables ipt = new FakeIptables();
        NatRules rules = new NatRules(ipt, tmp.resolve("lock"));
        rules.ensureNetwork("hutcht1", "10.199.7.0/24");
        rules.ensureNetwork("hutcht1", "10.199.7.0/24"); // idempotent
        assertEquals(1, ipt.ran.stream().filter(r -> r.contains("-N HUTCH-DNAT")).count());
        List<PortMapping> got = rules.publish("c1", "10.199.7.2", "hutcht1", "10.199.7.0/24",
                List.of(new PortMapping("127.0.0.1", 0, 80, "tcp")));
        assertNotEquals(0, got.get(0).hostPort());
        long hooks = ipt.nat.stream().filter(l -> l.contains("hutch-hook")).count();
        assertEquals(3, hooks);
        int hook = ipt.filter.indexOf("-A FORWARD -m comment --comment \"hutch-hook\" -j HUTCH-FORWARD");
        assertTrue(hook >= 0 && hook < ipt.filter.indexOf("-A FORWARD -j SOMEONE-ELSES"), "the hook goes first: " + ipt.filter);
        assertTrue(ipt.nat.stream().anyMatch(l -> l.contains("--to-destination 10.199.7.2:80")));

        rules.unpublish("c1");
        rules.unpublish("c1"); // quiet the second time
        assertTrue(ipt.nat.stream().noneMatch(l -> l.contains("hutch:c1")));
        rules.removeNetwork("hutcht1");
        assertFalse(ipt.mentionsHutch(), ipt.nat + " " + ipt.filter);
        assertTrue(ipt.filter.contains("-A FORWARD -j SOMEONE-ELSES"), "other rules stay");
        assertEquals(List.of(), rules.leftovers());
    }

    @Test
    void refusesAHostPortAnotherContainerPublishes() {
        FakeIptables ipt = new FakeIptables();
        NatRules rules = new NatRules(ipt, tmp.resolve("lock"));
        rules.publish("c1", "10.199.7.2", "hutcht1", "10.199.7.0/24", List.of(new PortMapping("", 48123, 80, "tcp")));
        HutchException e = assertThrows(HutchException.class, () -> rules.publish("c2", "10.199.7.3", "hutcht1", "10.199.7.0/24",
                List.of(new PortMapping("127.0.0.1", 48123, 80, "tcp"))));
        assertTrue(e.getMessage().contains("already published by container c1"), e.getMessage());
        // another protocol, or the same port twice in one request
        rules.publish("c2", "10.199.7.3", "hutcht1", "10.199.7.0/24", List.of(new PortMapping("", 48123, 80, "udp")));
        assertThrows(HutchException.class, () -> rules.publish("c3", "10.199.7.4", "hutcht1", "10.199.7.0/24",
                List.of(new PortMapping("", 48124, 80, "tcp"), new PortMapping("", 48124, 81, "tcp"))));
        rules.unpublish("c1");
        rules.unpublish("c2");
        rules.removeNetwork("hutcht1");
        assertFalse(ipt.mentionsHutch());
    }

    @Test
    void chainsStayWhileAnotherNetworkUsesThem() {
        FakeIptables ipt = new FakeIptables();
        NatRules rules = new NatRules(ipt, tmp.resolve("lock"));
        rules.ensureNetwork("hutcht1", "10.199.7.0/24");
        rules.ensureNetwork("hutcht2", "10.199.8.0/24");
        rules.removeNetwork("hutcht1");
        assertTrue(ipt.nat.contains(":HUTCH-DNAT - [0:0]"));
        rules.removeNetwork("hutcht2");
        assertFalse(ipt.mentionsHutch());
    }

    @Test
    void savedRulesFindCommentsQuotedOrNot() {
        SavedRules s = SavedRules.parse("""
                # Generated by iptables-save
                *nat
                :PREROUTING ACCEPT [0:0]
                :HUTCH-DNAT - [0:0]
                -A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment "hutch-hook" -j HUTCH-DNAT
                -A HUTCH-DNAT -p tcp -m tcp --dport 8080 -m comment --comment "hutch:abc" -j DNAT --to-destination 10.199.0.2:80
                -A HUTCH-DNAT -p tcp -m tcp --dport 8081 -m comment --comment hutch:abcd -j DNAT --to-destination 10.199.0.3:80
                COMMIT
                """);
        assertTrue(s.hasChain("nat", "HUTCH-DNAT"));
        assertEquals(1, s.withComment("hutch:abc").size(), "hutch:abc must not match hutch:abcd");
        assertEquals(1, s.withComment("hutch:abcd").size());
        assertEquals("-D HUTCH-DNAT -p tcp -m tcp --dport 8080 -m comment --comment \"hutch:abc\" -j DNAT --to-destination 10.199.0.2:80",
                s.withComment("hutch:abc").get(0).deletion());
        assertEquals("container abc", NatRules.publishedBy(s, List.of(), "tcp", "", 8080));
        assertNull(NatRules.publishedBy(s, List.of(), "udp", "", 8080));
    }
}
