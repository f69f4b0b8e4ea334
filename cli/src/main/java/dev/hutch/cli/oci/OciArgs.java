package dev.hutch.cli.oci;

import dev.hutch.HutchException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One verb's flags, parsed as runc's command line library does: {@code --flag value},
 * {@code --flag=value}, one dash or two, short aliases, booleans with an optional {@code =true}
 * or {@code =false}, and flags mixed with the positional arguments until a {@code --}.
 */
final class OciArgs {
    private final Map<String, String> names = new HashMap<>(); // every spelling → canonical name
    private final java.util.Set<String> valued = new java.util.HashSet<>();
    private final Map<String, List<String>> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private int flagsEndAfter = Integer.MAX_VALUE;

    /** Everything after the n-th positional is positional too (exec's command, ps's ps options). */
    OciArgs flagsEndAfterPositionals(int n) {
        flagsEndAfter = n;
        return this;
    }

    /** A flag that takes a value; {@code spellings} are its other names (e.g. "b" for bundle). */
    OciArgs value(String name, String... spellings) {
        valued.add(name);
        return bool(name, spellings);
    }

    OciArgs bool(String name, String... spellings) {
        names.put(name, name);
        for (String s : spellings) names.put(s, name);
        return this;
    }

    OciArgs parse(List<String> args) {
        boolean flagsDone = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (flagsDone || !a.startsWith("-") || a.equals("-")) {
                positional.add(a);
                if (positional.size() >= flagsEndAfter) flagsDone = true;
                continue;
            }
            if (a.equals("--")) {
                flagsDone = true;
                continue;
            }
            String body = a.startsWith("--") ? a.substring(2) : a.substring(1);
            String value = null;
            int eq = body.indexOf('=');
            if (eq >= 0) {
                value = body.substring(eq + 1);
                body = body.substring(0, eq);
            }
            String name = names.get(body);
            if (name == null) throw new HutchException("flag provided but not defined: -" + body);
            if (valued.contains(name)) {
                if (value == null) {
                    if (++i >= args.size()) throw new HutchException("flag needs an argument: -" + body);
                    value = args.get(i);
                }
            } else if (value == null) {
                value = "true";
            } else if (!value.equals("true") && !value.equals("false")) {
                throw new HutchException("invalid boolean value \"" + value + "\" for -" + body);
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return this;
    }

    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(v.size() - 1);
    }

    List<String> all(String name) { return values.getOrDefault(name, List.of()); }

    boolean has(String name) { return "true".equals(get(name)); }

    List<String> positional() { return positional; }

    /** The container id: the first positional, required. */
    String id(String verb) {
        if (positional.isEmpty())
            throw new HutchException("\"" + verb + "\" requires a container id (usage: hutch oci " + verb + " [OPTIONS] ID)");
        return positional.get(0);
    }
}
