package dev.hutch.cli;

import dev.hutch.HutchException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * docker-style flag parsing: {@code -d}, {@code --detach}, {@code -e K=V}, {@code --env=K=V},
 * bundled short booleans ({@code -it}, {@code -dit}), repeatable flags, and "the first positional
 * argument ends the flags" for commands like {@code run IMAGE CMD...} whose command has flags of
 * its own. A bad flag is a usage error: exit 125, as docker.
 */
public final class Flags {
    /** One flag: its names, whether it takes a value, and a line of help. */
    public record Spec(String longName, String shortName, boolean takesValue, String help) {}

    private final String command;
    private final Map<String, Spec> byName = new LinkedHashMap<>();
    private final List<Spec> specs = new ArrayList<>();
    private boolean stopAtFirstPositional;

    public Flags(String command) { this.command = command; }

    public Flags bool(String longName, String shortName, String help) { return add(new Spec(longName, shortName, false, help)); }

    public Flags value(String longName, String shortName, String help) { return add(new Spec(longName, shortName, true, help)); }

    /** For {@code run IMAGE CMD...}: everything after the first positional belongs to CMD. */
    public Flags stopAtFirstPositional() { stopAtFirstPositional = true; return this; }

    private Flags add(Spec s) {
        specs.add(s);
        byName.put("--" + s.longName, s);
        if (s.shortName != null) byName.put("-" + s.shortName, s);
        return this;
    }

    public List<Spec> specs() { return specs; }

    /** Whether everything after the first positional is the operand's own (run IMAGE CMD...). */
    public boolean stopsAtFirstPositional() { return stopAtFirstPositional; }

    public Parsed parse(List<String> args) {
        Parsed p = new Parsed();
        int i = 0;
        while (i < args.size()) {
            String a = args.get(i);
            if (a.equals("--")) { p.positional.addAll(args.subList(i + 1, args.size())); break; }
            if (a.startsWith("--") && a.length() > 2) {
                String name = a, value = null;
                int eq = a.indexOf('=');
                if (eq > 0) { name = a.substring(0, eq); value = a.substring(eq + 1); }
                Spec s = byName.get(name);
                if (s == null) throw usage("unknown flag: " + name);
                if (s.takesValue) {
                    if (value == null) {
                        if (i + 1 >= args.size()) throw usage("flag needs an argument: " + name);
                        value = args.get(++i);
                    }
                    p.add(s.longName, value);
                } else {
                    if (value != null && !value.equals("true") && !value.equals("false"))
                        throw usage("flag " + name + " takes no value (or =true/=false), got \"" + value + "\"");
                    p.add(s.longName, value == null ? "true" : value);
                }
            } else if (a.startsWith("-") && a.length() > 1 && !isNumber(a)) {
                // -it, -dit, -p8080:80, -eFOO=bar
                for (int j = 1; j < a.length(); j++) {
                    Spec s = byName.get("-" + a.charAt(j));
                    if (s == null) throw usage("unknown shorthand flag: '" + a.charAt(j) + "' in " + a);
                    if (s.takesValue) {
                        String value = a.substring(j + 1);
                        if (value.isEmpty()) {
                            if (i + 1 >= args.size()) throw usage("flag needs an argument: '" + a.charAt(j) + "' in " + a);
                            value = args.get(++i);
                        }
                        p.add(s.longName, value);
                        break;
                    }
                    p.add(s.longName, "true");
                }
            } else {
                p.positional.add(a);
                if (stopAtFirstPositional) { p.positional.addAll(args.subList(i + 1, args.size())); break; }
            }
            i++;
        }
        return p;
    }

    private HutchException usage(String msg) {
        return new HutchException(msg + "\nSee 'hutch " + command + " --help'.");
    }

    private static boolean isNumber(String s) {
        try { Long.parseLong(s); return true; } catch (NumberFormatException e) { return false; }
    }

    public String help() {
        StringBuilder sb = new StringBuilder();
        for (Spec s : specs) {
            String names = (s.shortName == null ? "    " : "-" + s.shortName + ", ") + "--" + s.longName + (s.takesValue ? " value" : "");
            sb.append(String.format("  %-28s %s%n", names, s.help));
        }
        return sb.toString();
    }

    /** The result: flag values by long name (in order, for repeatable flags) and positionals. */
    public static final class Parsed {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private final List<String> positional = new ArrayList<>();

        void add(String name, String value) { values.computeIfAbsent(name, k -> new ArrayList<>()).add(value); }

        public boolean has(String name) { return values.containsKey(name); }

        public boolean bool(String name) {
            List<String> v = values.get(name);
            return v != null && v.get(v.size() - 1).equals("true");
        }

        /** The last value given, or null. */
        public String value(String name) {
            List<String> v = values.get(name);
            return v == null ? null : v.get(v.size() - 1);
        }

        public String value(String name, String dflt) { String v = value(name); return v == null ? dflt : v; }

        public List<String> values(String name) { return values.getOrDefault(name, List.of()); }

        public List<String> positional() { return positional; }

        public int intValue(String name, int dflt) {
            String v = value(name);
            if (v == null) return dflt;
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new dev.hutch.spec.InvalidSpecException("--" + name, v, "is not a whole number");
            }
        }
    }
}
