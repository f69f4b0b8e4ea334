package dev.hutch.dsl.recipe;

import dev.hutch.HutchException;
import dev.hutch.dsl.ScriptErrors;
import dev.hutch.rootfs.recipe.Step;
import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import org.codehaus.groovy.control.CompilerConfiguration;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a {@code recipe.groovy} file into its steps (running the script only collects them; nothing
 * is built). A mistake is reported at the file's line, the way sandbox scripts report theirs:
 * {@code recipe.groovy:3: env: "A B" is not a variable name ...}.
 *
 * <p>Its signatures use no Groovy types, so {@code hutch build} loads Groovy only when it reads a recipe.
 */
public final class RecipeFile {
    private RecipeFile() {}

    public static List<Step> load(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new HutchException("cannot read the recipe " + file + " (is the path right? try: hutch build -f recipe.groovy -t NAME .)");
        String name = file.getFileName().toString();
        RecipeSteps steps = new RecipeSteps(name);
        try {
            CompilerConfiguration cc = new CompilerConfiguration();
            cc.setScriptBaseClass(RecipeScript.class.getName());
            Binding binding = new Binding();
            binding.setVariable(RecipeScript.STEPS, steps);
            new GroovyShell(RecipeFile.class.getClassLoader(), binding, cc)
                    .parse(new GroovyCodeSource(file.toFile(), "UTF-8")).run();
        } catch (IOException e) {
            throw new HutchException("cannot read the recipe " + file + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            // ScriptErrors places the failure at the recipe's line; keep its words, throw them.
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int code;
            try (PrintStream err = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
                code = new ScriptErrors(name, err, false).report(t);
            }
            throw new HutchException(code == 0 ? HutchException.ENGINE_FAILURE : code,
                    buf.toString(StandardCharsets.UTF_8).trim(), t);
        }
        return steps.steps();
    }
}
