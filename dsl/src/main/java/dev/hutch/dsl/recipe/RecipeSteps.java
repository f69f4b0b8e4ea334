package dev.hutch.dsl.recipe;

import dev.hutch.dsl.ScriptLines;
import dev.hutch.rootfs.recipe.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The words of a recipe, collecting {@link Step}s in order: the delegate of {@code image('name') { ... }}
 * and what a {@code recipe.groovy} file's base class forwards to. Each step remembers the script
 * line that wrote it, so a failing step is reported there.
 * <pre>
 * from 'busybox'
 * run 'sh', '-c', 'echo hi > /hello'     // or one string, run through /bin/sh -c
 * copy 'site/', '/www/'
 * env 'GREETING', 'hello'                // or env GREETING: 'hello', LANG: 'C'
 * workdir '/www'
 * user '0'
 * cmd 'httpd', '-f', '-p', '80'
 * entrypoint '/bin/sh', '-c'
 * label 'team', 'core'                   // or label team: 'core'
 * </pre>
 */
public class RecipeSteps {
    private final String scriptFile;
    private final List<Step> steps = new ArrayList<>();

    /** @param scriptFile the file name in stack frames ({@code recipe.groovy}), for each step's line */
    public RecipeSteps(String scriptFile) { this.scriptFile = scriptFile; }

    public List<Step> steps() { return List.copyOf(steps); }

    public void from(String image) { add(Step.from(image, here())); }

    public void run(Object... argv) { add(Step.run(strings(argv), here())); }

    public void copy(String source, String dest) { add(Step.copy(source, dest, here())); }

    public void env(String key, Object value) { add(Step.env(key, str(value), here())); }

    public void env(Map<String, ?> vars) { vars.forEach((k, v) -> add(Step.env(k, str(v), here()))); }

    public void workdir(String dir) { add(Step.workdir(dir, here())); }

    public void user(Object user) { add(Step.user(str(user), here())); }

    public void cmd(Object... argv) { add(Step.cmd(strings(argv), here())); }

    public void entrypoint(Object... argv) { add(Step.entrypoint(strings(argv), here())); }

    public void label(String key, Object value) { add(Step.label(key, str(value), here())); }

    public void label(Map<String, ?> labels) { labels.forEach((k, v) -> add(Step.label(k, str(v), here()))); }

    private void add(Step s) { steps.add(s); }

    private String here() { return ScriptLines.where(scriptFile, ScriptLines.caller(scriptFile)); }

    private static String str(Object o) { return o == null ? null : String.valueOf(o); }

    /** {@code run 'echo', 1} and {@code run(['echo', 'hi'])} both work. */
    private static List<String> strings(Object[] argv) {
        List<String> out = new ArrayList<>();
        for (Object o : argv) {
            if (o instanceof List<?> l) l.forEach(x -> out.add(String.valueOf(x)));
            else out.add(String.valueOf(o));
        }
        return out;
    }
}
