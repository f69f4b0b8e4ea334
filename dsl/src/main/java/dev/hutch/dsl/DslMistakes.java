package dev.hutch.dsl;

import dev.hutch.dsl.container.ContainerBuilder;
import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.dsl.network.NetworkBuilder;
import dev.hutch.dsl.network.NetworkHandle;
import dev.hutch.dsl.recipe.RecipeSteps;
import groovy.lang.MissingMethodException;
import groovy.lang.MissingPropertyException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Groovy's "no such method / property" errors, said in the DSL's words, for scripts and the shell
 * alike: {@code memory 64.mb} at the top level is a word of {@code container { }} blocks, not
 * a missing method of Script1; {@code 64.mx} is not a unit; {@code memroy} is probably
 * {@code memory}. Anything else stays Groovy's message.
 */
final class DslMistakes {
    private DslMistakes() {}

    /** The DSL's places that take words: where a word belongs, as a script writes it. */
    private static final Map<Class<?>, String> PLACES = new LinkedHashMap<>();

    static {
        PLACES.put(ContainerBuilder.class, "container('NAME') { }");
        PLACES.put(NetworkBuilder.class, "network('NAME') { }");
        PLACES.put(RecipeSteps.class, "image('NAME') { }");
        PLACES.put(ContainerHandle.class, "a container handle");
        PLACES.put(NetworkHandle.class, "a network handle");
    }

    private static final String UNITS = "kb, mb, gb, b, ms, millis, second(s), minute(s): 64.mb, 500.ms, 10.seconds";

    /** The message in the DSL's words, or null when the error is not one of these. */
    static String explain(Throwable t) {
        if (t instanceof MissingMethodException m) return method(m);
        if (t instanceof MissingPropertyException p) return property(p);
        return null;
    }

    private static String method(MissingMethodException m) {
        Class<?> type = m.getType();
        String name = m.getMethod();
        String args = Arrays.stream(m.getArguments()).map(DslMistakes::shown).collect(Collectors.joining(", "));
        if (type == null || name == null) return null;
        if (HutchScript.class.isAssignableFrom(type)) {
            if (DslWords.of(HutchScript.class).contains(name))
                return name + "(" + args + "): not the arguments " + name + " takes (:doc " + name + " shows them)";
            for (Map.Entry<Class<?>, String> place : PLACES.entrySet()) {
                if (place.getKey() == ContainerHandle.class || place.getKey() == NetworkHandle.class) continue;
                if (DslWords.of(place.getKey()).contains(name))
                    return name + ": a word of " + place.getValue() + " blocks, not of the script (write it inside one: "
                            + example(place.getKey(), name, args) + ")";
            }
            return name + ": no such word in the DSL" + suggestion(name, allWords()) + " (:doc lists the words)";
        }
        String place = PLACES.get(type);
        if (place == null) return null;
        TreeSet<String> words = DslWords.of(type);
        if (words.contains(name))
            return name + "(" + args + "): not the arguments " + name + " takes in " + place + " (:doc " + name + " shows them)";
        return name + ": " + place + " has no such word" + suggestion(name, words);
    }

    private static String property(MissingPropertyException p) {
        Class<?> type = p.getType();
        String name = p.getProperty();
        if (type == null || name == null) return null;
        if (Number.class.isAssignableFrom(type))
            return name + ": not a unit of a number (units: " + UNITS + ")";
        if (HutchScript.class.isAssignableFrom(type))
            return name + ": no such variable or word" + suggestion(name, allWords())
                    + " (def " + name + " = ... makes a variable)";
        String place = PLACES.get(type);
        if (place == null) return null;
        if (DslWords.of(type).contains(name)) return name + ": needs a value in " + place + " (:doc " + name + " shows how)";
        return name + ": " + place + " has no such word" + suggestion(name, DslWords.of(type));
    }

    /** Every word of the script and of its blocks, for "did you mean". */
    private static TreeSet<String> allWords() {
        TreeSet<String> all = DslWords.of(HutchScript.class);
        for (Class<?> c : PLACES.keySet()) all.addAll(DslWords.of(c));
        return all;
    }

    private static String example(Class<?> place, String word, String args) {
        String use = word + (args.isEmpty() ? "" : " ...");
        if (place == ContainerBuilder.class) return "container('web') { image 'busybox'; " + use + " }";
        if (place == NetworkBuilder.class) return "network('lab') { " + use + " }";
        return "image('site') { from 'busybox'; " + use + " }";
    }

    private static String suggestion(String typed, Iterable<String> words) {
        String c = DslWords.closest(typed, words);
        return c == null || c.equals(typed) ? "" : " (did you mean " + c + "?)";
    }

    /** An argument as the script would write it: 'text', 64, a closure as { }. */
    private static String shown(Object a) {
        if (a instanceof CharSequence s) return "'" + s + "'";
        if (a instanceof groovy.lang.Closure<?>) return "{ }";
        return String.valueOf(a);
    }
}
