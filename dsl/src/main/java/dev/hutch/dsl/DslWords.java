package dev.hutch.dsl;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.TreeSet;

/**
 * The words a DSL class offers, as a script writes them: its public methods, with getters and
 * boolean {@code is} methods under their property names ({@code web.running}). Completion, the
 * error messages and the documentation check all read the words from here.
 */
public final class DslWords {
    private DslWords() {}

    public static TreeSet<String> of(Class<?> type) {
        TreeSet<String> out = new TreeSet<>();
        for (Method m : type.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || m.getDeclaringClass().getName().startsWith("groovy.") || m.getName().contains("$")) continue;
            String n = m.getName();
            if (n.equals("toString") || n.equals("hashCode")) continue;
            if (n.startsWith("get") && n.length() > 3 && m.getParameterCount() == 0)
                n = Character.toLowerCase(n.charAt(3)) + n.substring(4);
            else if (n.startsWith("is") && n.length() > 2 && Character.isUpperCase(n.charAt(2)) && m.getParameterCount() == 0
                    && m.getReturnType() == boolean.class)
                n = Character.toLowerCase(n.charAt(2)) + n.substring(3); // Groovy's property: web.running
            out.add(n);
        }
        return out;
    }

    /** The word closest to {@code typed} (at most two edits away), or null. */
    public static String closest(String typed, Iterable<String> words) {
        String best = null;
        int bestDistance = 3;
        for (String w : words) {
            int d = distance(typed.toLowerCase(), w.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = w;
            }
        }
        return best;
    }

    /** Edit distance (Levenshtein), for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
