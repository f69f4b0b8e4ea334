package dev.hutch.net.nat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The output of {@code iptables-save}, parsed: for each table its chains and its rules as saved
 * ({@code -A CHAIN ...} lines). Pure; tested on fixtures. Used to find hutch's rules by comment and
 * to turn them into deletions, which keeps removal exact without remembering rule positions.
 */
public final class SavedRules {
    /** One saved rule: its table and its {@code -A ...} line exactly as iptables-save printed it. */
    public record Saved(String table, String line) {
        public String chain() {
            String[] t = line.split(" ", 3);
            return t.length > 1 ? t[1] : "";
        }

        /** The same rule as a deletion line for iptables-restore. */
        public String deletion() { return "-D" + line.substring(2); }
    }

    private final Map<String, Set<String>> chains = new LinkedHashMap<>();
    private final List<Saved> rules = new ArrayList<>();

    public static SavedRules parse(String iptablesSave) {
        SavedRules s = new SavedRules();
        String table = null;
        for (String raw : iptablesSave.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("*")) {
                table = line.substring(1);
                s.chains.computeIfAbsent(table, t -> new LinkedHashSet<>());
            } else if (table != null && line.startsWith(":")) {
                s.chains.get(table).add(line.substring(1).split(" ")[0]);
            } else if (table != null && line.startsWith("-A ")) {
                s.rules.add(new Saved(table, line));
            }
        }
        return s;
    }

    public boolean hasChain(String table, String chain) {
        return chains.getOrDefault(table, Set.of()).contains(chain);
    }

    public List<Saved> rules() { return rules; }

    public List<Saved> inChain(String table, String chain) {
        return rules.stream().filter(r -> r.table().equals(table) && r.chain().equals(chain)).toList();
    }

    /** Rules carrying exactly this comment (quoted or not, as iptables-save prints it either way). */
    public List<Saved> withComment(String comment) {
        return rules.stream().filter(r -> hasComment(r.line(), comment)).toList();
    }

    /** Rules whose comment starts with this prefix, e.g. every {@code hutch:} container rule. */
    public List<Saved> withCommentPrefix(String prefix) {
        return rules.stream().filter(r -> r.line().contains("--comment \"" + prefix) || r.line().contains("--comment " + prefix)).toList();
    }

    static boolean hasComment(String line, String comment) {
        return line.contains("--comment \"" + comment + "\"") || (line + " ").contains("--comment " + comment + " ");
    }

    /** An {@code iptables-restore --noflush} script deleting these rules. */
    public static String deletionScript(List<Saved> rules) {
        StringBuilder sb = new StringBuilder();
        for (String table : List.of("nat", "filter")) {
            List<Saved> mine = rules.stream().filter(r -> r.table().equals(table)).toList();
            if (mine.isEmpty()) continue;
            sb.append('*').append(table).append('\n');
            for (Saved r : mine) sb.append(r.deletion()).append('\n');
            sb.append("COMMIT\n");
        }
        return sb.toString();
    }
}
