package dev.hutch.net.nat;

import java.util.ArrayList;
import java.util.List;

/**
 * One iptables rule as hutch plans it: table, verb ({@code -A} append or {@code -I} insert at the
 * top), chain and the match/target arguments. Pure data; renders to an {@code iptables} argv or to
 * an {@code iptables-restore --noflush} line.
 */
public record IptablesRule(String table, String verb, String chain, List<String> args) {

    public IptablesRule {
        args = List.copyOf(args);
    }

    public static IptablesRule append(String table, String chain, String... args) {
        return new IptablesRule(table, "-A", chain, List.of(args));
    }

    public static IptablesRule insert(String table, String chain, String... args) {
        return new IptablesRule(table, "-I", chain, List.of(args));
    }

    /** {@code iptables -w -t TABLE VERB CHAIN ARGS...} */
    public List<String> argv() {
        List<String> out = new ArrayList<>(List.of("iptables", "-w", "-t", table, verb, chain));
        out.addAll(args);
        return out;
    }

    /** The line for an {@code iptables-restore --noflush} block of this rule's table. */
    public String restoreLine() {
        StringBuilder sb = new StringBuilder(verb).append(' ').append(chain);
        for (String a : args) sb.append(' ').append(a.contains(" ") ? "\"" + a + "\"" : a);
        return sb.toString();
    }

    /** The comment ({@code -m comment --comment X}) this rule carries, or null. */
    public String comment() {
        int i = args.indexOf("--comment");
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }
}
