package dev.hutch.dsl.shell;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.container.ContainerBuilder;
import dev.hutch.state.ContainerState;
import groovy.lang.Binding;
import jline.console.completer.Completer;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Tab completion: the DSL's words ({@code container}, {@code network}, {@code ps}, {@code memory}, ...),
 * the shell's variables, container names in quotes ({@code logs 'we<TAB>}), and after
 * {@code web.} the methods of what {@code web} holds.
 */
final class ShellCompleter implements Completer {
    private final Supplier<Binding> bindings;
    private final Supplier<dev.hutch.engine.Engine> engine;
    private final java.nio.file.Path cwd;
    private Binding binding;

    /** @param bindings the session's variables now (a :reset makes new ones) */
    ShellCompleter(Supplier<Binding> bindings, Supplier<dev.hutch.engine.Engine> engine, java.nio.file.Path cwd) {
        this.bindings = bindings;
        this.engine = engine;
        this.cwd = cwd;
    }

    @Override
    public int complete(String buffer, int cursor, List<CharSequence> candidates) {
        binding = bindings.get();
        String upTo = buffer == null ? "" : buffer.substring(0, cursor);
        int start = cursor;
        while (start > 0 && isWordChar(upTo.charAt(start - 1))) start--;
        String word = upTo.substring(start);
        candidates.addAll(candidates(upTo.substring(0, start), word));
        return candidates.isEmpty() ? -1 : start;
    }

    /** What may follow {@code before} starting with {@code word}. */
    TreeSet<String> candidates(String before, String word) {
        TreeSet<String> out = new TreeSet<>();
        if (word.startsWith("'") || word.startsWith("\"")) {
            String q = word.substring(0, 1);
            for (ContainerState s : safeContainers()) addIf(out, q + s.name() + q, word);
            return out;
        }
        if (before.endsWith(".")) {
            String target = lastIdentifier(before.substring(0, before.length() - 1));
            Object value = target == null || !binding.hasVariable(target) ? null : binding.getVariable(target);
            if (value != null) methods(value.getClass()).forEach(m -> addIf(out, m, word));
            return out;
        }
        methods(HutchScript.class).forEach(m -> addIf(out, m, word));
        methods(ContainerBuilder.class).forEach(m -> addIf(out, m, word));
        for (Object k : ((Map<?, ?>) binding.getVariables()).keySet()) {
            String name = String.valueOf(k);
            if (!name.equals(HutchScript.SANDBOX)) addIf(out, name, word);
        }
        return out;
    }

    private List<ContainerState> safeContainers() {
        try {
            return engine.get().list(true);
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static TreeSet<String> methods(Class<?> type) { return dev.hutch.dsl.DslWords.of(type); }

    private static void addIf(TreeSet<String> out, String candidate, String word) {
        if (candidate.startsWith(word)) out.add(candidate);
    }

    private static boolean isWordChar(char c) { return Character.isJavaIdentifierPart(c) || c == '\'' || c == '"' || c == '-'; }

    private static String lastIdentifier(String s) {
        int end = s.length(), start = end;
        while (start > 0 && Character.isJavaIdentifierPart(s.charAt(start - 1))) start--;
        return start == end ? null : s.substring(start, end);
    }
}
