package dev.hutch.dsl;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import groovy.lang.Binding;
import groovy.lang.GroovyCodeSource;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs a sandbox script: {@code hutch script web.groovy ARGS...}, {@code hutch web.groovy}, or a
 * file starting with {@code #!/usr/bin/env hutch} (Groovy skips a first {@code #!} line).
 *
 * <p>The script sees {@code args}, the DSL's words ({@link HutchScript}) and hutch's packages
 * imported. Whatever happens (normal end, {@code exit 3}, an exception, Ctrl-C) everything the
 * script started is removed before the process ends, unless the script kept it.
 *
 * <p>This class's signatures use no Groovy types, so the CLI can call it without loading Groovy
 * until a script is actually run.
 */
public final class ScriptRunner {
    private final Supplier<Engine> engine;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;

    public ScriptRunner(Supplier<Engine> engine, PrintStream out, PrintStream err, boolean debug) {
        this.engine = engine;
        this.out = out;
        this.err = err;
        this.debug = debug;
    }

    /** The compiler settings shared by scripts and the shell: the base class and the imports. */
    public static CompilerConfiguration compilerConfiguration() {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.setScriptBaseClass(HutchScript.class.getName());
        ImportCustomizer imports = new ImportCustomizer();
        imports.addStarImports("dev.hutch.dsl", "dev.hutch.dsl.container", "dev.hutch.dsl.network", "dev.hutch.spec");
        imports.addImports("java.time.Duration");
        cc.addCompilationCustomizers(imports);
        return cc;
    }

    /** @return the script's exit code: 0, its {@code exit N}, 1 for a failure in the script, 125 for a hutch error */
    public int run(Path file, List<String> args) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new HutchException("cannot read the script " + file + " (is the path right?)");
        String scriptFile = file.getFileName().toString();
        Path baseDir = file.toAbsolutePath().getParent();
        Sandbox sandbox = new Sandbox(engine, scriptFile, baseDir, err);
        ScriptErrors errors = new ScriptErrors(scriptFile, err, debug);
        // Ctrl-C or a kill ends the JVM: the hook takes down what the script made first.
        Thread cleanup = new Thread(sandbox::close, "hutch-script-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            Binding binding = new Binding();
            binding.setVariable("args", args.toArray(new String[0]));
            binding.setVariable("out", out);
            binding.setVariable(HutchScript.SANDBOX, sandbox);
            GroovyShell shell = new GroovyShell(ScriptRunner.class.getClassLoader(), binding, compilerConfiguration());
            Script script = shell.parse(new GroovyCodeSource(file.toFile(), "UTF-8"));
            script.run();
            return 0;
        } catch (IOException e) {
            throw new HutchException("cannot read the script " + file + ": " + e.getMessage(), e);
        } catch (Throwable t) {
            return errors.report(t);
        } finally {
            out.flush();
            sandbox.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already; it finds the sandbox closed
            }
        }
    }
}
