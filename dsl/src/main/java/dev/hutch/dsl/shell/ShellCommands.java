package dev.hutch.dsl.shell;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.container.ContainerHandle;
import dev.hutch.dsl.network.NetworkHandle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shell's own commands, with hutch's {@code :} prefix (jshell's {@code /}, groovysh's {@code :}):
 * {@code :vars}, {@code :list}, {@code :save FILE}, {@code :load FILE}, {@code :history},
 * {@code :reset}, {@code :doc WORD}, {@code :help}, {@code :exit}.
 */
final class ShellCommands {
    /** The commands, for :help and for completion after a ":". */
    static final Map<String, String> ALL = new java.util.LinkedHashMap<>();

    static {
        ALL.put(":vars", "the variables, and the state of the containers their handles hold");
        ALL.put(":list", "the snippets evaluated so far, numbered");
        ALL.put(":save", ":save FILE: the session as a script that `hutch script FILE` runs");
        ALL.put(":load", ":load FILE: runs a script's snippets here, keeping its variables");
        ALL.put(":history", "the lines typed, this session and earlier ones (HOME/.hutch_history)");
        ALL.put(":reset", "removes what the session started, forgets its variables and snippets");
        ALL.put(":doc", ":doc WORD: the DSL's documentation of a word (from docs/dsl.md)");
        ALL.put(":help", "this list");
        ALL.put(":exit", "leaves (also :quit, :q, exit, Ctrl-D)");
    }

    private static final List<String> INTERNAL = List.of(HutchScript.SANDBOX, "out");

    private final HutchShell shell;
    private DslDoc doc;

    ShellCommands(HutchShell shell) { this.shell = shell; }

    /** Runs a {@code :command} line; the exit code when it ends the shell, else null. */
    Integer run(String line) {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0]) {
            case ":exit", ":quit", ":q" -> { return 0; }
            case ":help", ":h", ":?" -> help();
            case ":vars", ":v" -> vars();
            case ":list", ":l" -> list();
            case ":save" -> save(arg);
            case ":load" -> load(arg);
            case ":history" -> history();
            case ":reset" -> reset();
            case ":doc", ":d" -> doc(arg);
            default -> shell.err.println(parts[0] + ": no such command (:help lists them)");
        }
        return null;
    }

    private void help() {
        shell.out.println(HELP);
        ALL.forEach((c, what) -> shell.out.printf("  %-10s %s%n", c, what));
    }

    private void vars() {
        Map<String, Object> vars = new TreeMap<>();
        shell.binding().getVariables().forEach((k, v) -> {
            if (!INTERNAL.contains(String.valueOf(k))) vars.put(String.valueOf(k), v);
        });
        if (vars.isEmpty()) shell.out.println("no variables yet (def web = container('web') { ... } makes one)");
        vars.forEach((name, v) -> shell.out.printf("%-12s %-16s %s%n", name, v == null ? "null" : type(v), describe(v)));
    }

    private static String type(Object v) {
        if (v instanceof ContainerHandle) return "container";
        if (v instanceof NetworkHandle) return "network";
        return v.getClass().getSimpleName();
    }

    /** A handle with its container's state now; any other value as it prints, cut to one line. */
    private static String describe(Object v) {
        if (v instanceof ContainerHandle c) {
            if (c.getId() == null) return c.getName() + ": not started";
            try {
                var s = c.getState();
                String exit = s.isRunning() ? "" : c.getExitCode() == null ? "" : " (exit " + c.getExitCode() + ")";
                return c.getName() + ": " + s.status().label() + exit + ", id " + c.getId().substring(0, Math.min(12, c.getId().length()))
                        + (c.isKept() ? ", kept" : "");
            } catch (RuntimeException gone) {
                return c.getName() + ": removed";
            }
        }
        if (v instanceof NetworkHandle n) return n.getName() + " " + n.getSubnet() + (n.isKept() ? ", kept" : "");
        String s = String.valueOf(v).replace('\n', ' ');
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private void list() {
        List<SessionLog.Entry> entries = shell.log.entries();
        if (entries.isEmpty()) shell.out.println("no snippets yet");
        for (int i = 0; i < entries.size(); i++) {
            String[] lines = entries.get(i).typed().split("\n");
            for (int j = 0; j < lines.length; j++) shell.out.printf(j == 0 ? "%4d: %s%n" : "      %s%n", i + 1, lines[j]);
        }
    }

    private void save(String file) {
        if (file.isEmpty()) { shell.err.println(":save needs a file name (try :save session.groovy)"); return; }
        Path path = shell.resolve(file);
        try {
            Files.writeString(path, shell.log.script(), StandardCharsets.UTF_8);
            shell.out.println("saved " + shell.log.entries().size() + " snippets to " + file + " (run it with: hutch script " + file + ")");
        } catch (IOException e) {
            shell.err.println(":save: cannot write " + file + ": " + e.getMessage());
        }
    }

    /** As if the file's lines were typed, without echoing values (its own println and show print). */
    private void load(String file) {
        if (file.isEmpty()) { shell.err.println(":load needs a file name (try :load session.groovy)"); return; }
        Path path = shell.resolve(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            shell.err.println(":load: cannot read " + file + " (" + e.getMessage() + ")");
            return;
        }
        Snippet snippet = new Snippet();
        for (String line : lines) {
            if (snippet.isEmpty() && (line.isBlank() || line.startsWith("#!"))) continue;
            snippet.add(line);
            if (!snippet.isComplete()) continue;
            Integer exit = shell.evaluate(snippet, false);
            snippet.clear();
            if (exit != null) return; // exit N in a loaded file ends the file, not the shell
        }
        if (!snippet.isEmpty()) shell.evaluate(snippet, false);
    }

    private void history() {
        List<String> h = shell.history();
        if (h == null) h = shell.typed;
        for (int i = 0; i < h.size(); i++) shell.out.printf("%5d  %s%n", i + 1, h.get(i));
    }

    private void reset() {
        shell.sandbox().close();
        shell.log.clear();
        shell.fresh();
        shell.out.println("reset: the session's containers and networks are removed, its variables forgotten");
    }

    private void doc(String word) {
        if (doc == null) doc = DslDoc.load();
        if (word.isEmpty()) {
            shell.out.println(":doc WORD, one of: " + String.join(" ", doc.words()));
            return;
        }
        String w = word.replaceAll("[^A-Za-z0-9_].*$", "");
        String text = doc.describe(w);
        if (text == null) shell.err.println(":doc: no word \"" + word + "\" in the DSL's documentation (:doc alone lists them)");
        else shell.out.println(text);
    }

    static final String HELP = """
            The sandbox DSL (see docs/dsl.md, or :doc WORD), and:
              ps()                      running containers (ps all: true for all)
              logs 'web'                its output so far
              stats 'web'               cpu, memory, pids
              exec 'web', 'ls', '/'     a command in a running container
              run 'busybox', 'echo', 'hi'   a throwaway container, run to its end
              stop 'web'; rm 'web'      stop, remove
              def web = container('web') { image 'busybox'; command 'sleep', '1000' }.start()
            Containers started here are removed when the shell ends unless kept (web.keep()).
            Ctrl-C cancels the line being typed, or stops a running run(). Commands:""";
}
