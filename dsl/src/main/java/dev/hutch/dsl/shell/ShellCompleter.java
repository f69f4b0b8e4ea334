package dev.hutch.dsl.shell;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.bench.BenchBuilder;
import dev.hutch.dsl.container.ContainerBuilder;
import dev.hutch.dsl.network.NetworkBuilder;
import dev.hutch.dsl.recipe.RecipeSteps;
import groovy.lang.Binding;
import jline.console.completer.Completer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Tab completion that knows where the cursor is and what exists:
 * <ul>
 *   <li>at the top level, the script's words ({@code container}, {@code ps}, ...), the session's
 *       variables, and the {@code :commands} at the start of a line;</li>
 *   <li>inside a block, that block's words: {@code memory}, {@code cpus} in {@code container { }},
 *       {@code subnet} in {@code network { }}, {@code from} in {@code image { }}; also on the
 *       continuation lines of a block opened on an earlier line;</li>
 *   <li>in quotes, names that exist: images after {@code image}/{@code from}, networks after
 *       {@code network}, volumes (or host paths, for a source starting with {@code /} or
 *       {@code .}) after {@code volume}, containers elsewhere ({@code logs 'we<TAB>});</li>
 *   <li>after {@code web.}, the methods of what {@code web} holds;</li>
 *   <li>after {@code :doc}, the documented words; after {@code :save}/{@code :load}, file paths.</li>
 * </ul>
 */
final class ShellCompleter implements Completer {
    /** The block words by the word that opens the block. */
    private static final Map<String, Class<?>> BLOCKS = Map.of(
            "container", ContainerBuilder.class, "network", NetworkBuilder.class,
            "image", RecipeSteps.class, "bench", BenchBuilder.class);

    private final Supplier<Binding> bindings;
    private final WorldNames world;
    private final Path cwd;
    private final Supplier<String> pending;
    private Binding binding;

    /**
     * @param bindings the session's variables now (a :reset makes new ones)
     * @param pending  the earlier lines of the snippet being typed (empty on a first line)
     * @param cwd      what relative paths are relative to
     */
    ShellCompleter(Supplier<Binding> bindings, WorldNames world, Path cwd, Supplier<String> pending) {
        this.bindings = bindings;
        this.world = world;
        this.cwd = cwd;
        this.pending = pending;
    }

    @Override
    public int complete(String buffer, int cursor, List<CharSequence> candidates) {
        binding = bindings.get();
        String upTo = buffer == null ? "" : buffer.substring(0, cursor);
        String earlier = pending.get();
        if (earlier.isEmpty() && upTo.startsWith(":")) return command(upTo, candidates);
        int start = openQuote(upTo);
        if (start < 0) {
            start = cursor;
            while (start > 0 && Character.isJavaIdentifierPart(upTo.charAt(start - 1))) start--;
        }
        String word = upTo.substring(start);
        String before = upTo.substring(0, start);
        // a quoted path: complete from the last '/' so a directory can be descended into
        if (isQuote(word) && isPathStart(word.substring(1)) && "volume".equals(quotedAfter(earlier + before))) {
            candidates.addAll(paths(word.substring(1), word.substring(0, 1)));
            return candidates.isEmpty() ? -1 : start;
        }
        candidates.addAll(candidates(earlier + before, word));
        return candidates.isEmpty() ? -1 : start;
    }

    /** What may follow {@code before} (the snippet so far) starting with {@code word}. */
    TreeSet<String> candidates(String before, String word) {
        TreeSet<String> out = new TreeSet<>();
        if (isQuote(word)) {
            String q = word.substring(0, 1);
            String verb = quotedAfter(before);
            List<String> names = switch (verb == null ? "" : verb) {
                case "image", "from" -> world.images();
                case "network" -> world.networks();
                case "volume" -> world.volumes();
                default -> world.containers();
            };
            for (String n : names) addIf(out, q + n + q, word);
            return out;
        }
        if (before.endsWith(".")) {
            String target = lastIdentifier(before.substring(0, before.length() - 1));
            Object value = target == null || binding == null || !binding.hasVariable(target) ? null : binding.getVariable(target);
            if (value != null) methods(value.getClass()).forEach(m -> addIf(out, m, word));
            return out;
        }
        Class<?> block = blockAt(before);
        methods(block == null ? HutchScript.class : block).forEach(m -> addIf(out, m, word));
        if (binding != null) {
            for (Object k : ((Map<?, ?>) binding.getVariables()).keySet()) {
                String name = String.valueOf(k);
                if (!name.equals(HutchScript.SANDBOX)) addIf(out, name, word);
            }
        }
        return out;
    }

    /** {@code :do<TAB>}, {@code :doc mem<TAB>}, {@code :save ./ses<TAB>}. */
    private int command(String line, List<CharSequence> candidates) {
        int space = line.indexOf(' ');
        if (space < 0) {
            for (String c : ShellCommands.ALL.keySet()) if (c.startsWith(line)) candidates.add(c);
            return candidates.isEmpty() ? -1 : 0;
        }
        String cmd = line.substring(0, space), arg = line.substring(space + 1).stripLeading();
        int start = line.length() - arg.length();
        if (cmd.equals(":doc")) {
            for (String w : DslDoc.load().words()) if (w.startsWith(arg)) candidates.add(w);
        } else if (cmd.equals(":save") || cmd.equals(":load")) {
            candidates.addAll(paths(arg, ""));
        }
        return candidates.isEmpty() ? -1 : start;
    }

    /**
     * The DSL class whose words apply at the end of {@code text}: the one of the innermost open
     * block, found by the word before its brace ({@code container('web') {}, {@code bench {}).
     */
    static Class<?> blockAt(String text) {
        Deque<Integer> open = new ArrayDeque<>();
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') quote = c;
            else if (c == '{') open.push(i);
            else if (c == '}' && !open.isEmpty()) open.pop();
        }
        for (int brace : open) { // innermost first; a plain closure inside a block keeps the block's words
            String opener = openerOf(text.substring(0, brace));
            if (opener != null && BLOCKS.containsKey(opener)) return BLOCKS.get(opener);
        }
        return null;
    }

    /** {@code container} for {@code ...container('web', x) }, {@code bench} for {@code bench }. */
    private static String openerOf(String beforeBrace) {
        String s = beforeBrace.stripTrailing();
        if (s.endsWith(")")) {
            int depth = 0;
            for (int i = s.length() - 1; i >= 0; i--) {
                char c = s.charAt(i);
                if (c == ')') depth++;
                else if (c == '(' && --depth == 0) {
                    s = s.substring(0, i).stripTrailing();
                    break;
                }
            }
        }
        return lastIdentifier(s);
    }

    /**
     * The word a quoted argument being typed belongs to: {@code image} for {@code image 'bu},
     * {@code volume} for {@code volume('/sr}, {@code logs} for {@code logs 'we}; null if none.
     */
    static String quotedAfter(String before) {
        String s = before.stripTrailing();
        if (s.endsWith("(")) s = s.substring(0, s.length() - 1).stripTrailing();
        return lastIdentifier(s);
    }

    /** Host paths starting with {@code typed}: directories end in '/', files get the closing quote. */
    List<String> paths(String typed, String quote) {
        int slash = typed.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : typed.substring(0, slash + 1);
        String prefix = typed.substring(slash + 1);
        Path dir = dirPart.isEmpty() ? cwd : cwd.resolve(dirPart);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> prefix.startsWith(".") || !p.getFileName().toString().startsWith("."))
                    .map(p -> quote + dirPart + p.getFileName() + (Files.isDirectory(p) ? "/" : quote))
                    .sorted().toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static TreeSet<String> methods(Class<?> type) { return dev.hutch.dsl.DslWords.of(type); }

    private static boolean isQuote(String word) { return word.startsWith("'") || word.startsWith("\""); }

    private static boolean isPathStart(String s) { return s.startsWith("/") || s.startsWith("."); }

    private static void addIf(TreeSet<String> out, String candidate, String word) {
        if (candidate.startsWith(word)) out.add(candidate);
    }

    /** Where the quote still open at the end of the line starts (a name or path being typed), or -1. */
    static int openQuote(String line) {
        int at = -1;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
                at = i;
            }
        }
        return quote == 0 ? -1 : at;
    }

    private static String lastIdentifier(String s) {
        int end = s.length(), start = end;
        while (start > 0 && Character.isJavaIdentifierPart(s.charAt(start - 1))) start--;
        return start == end ? null : s.substring(start, end);
    }
}
