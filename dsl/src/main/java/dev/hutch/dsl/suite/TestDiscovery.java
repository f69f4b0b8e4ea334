package dev.hutch.dsl.suite;

import dev.hutch.HutchException;
import dev.hutch.dsl.ScriptRunner;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.stmt.ExpressionStatement;
import org.codehaus.groovy.ast.stmt.Statement;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.codehaus.groovy.control.SourceUnit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code hutch test} runs: the scripts named (a directory stands for every {@code .groovy}
 * file under it, in path order), and in each the {@code test('name') { }} blocks written at its
 * top level with a literal name, found by parsing the file, not running it. A script without
 * such blocks is one test; one with them is one test per block, each run as a fresh run of the
 * script in which only that block executes (the top-level code is the block's set-up, as a fresh
 * test-class instance is in JUnit).
 */
public final class TestDiscovery {
    private TestDiscovery() {}

    /** One test: a script, or one named block of it (name null: the whole script). */
    public record Unit(Path path, String display, String block) {}

    /** The units of these paths; bad input (a missing path, a directory without scripts) is a HutchException. */
    public static List<Unit> units(List<Path> paths, List<String> displayed) {
        List<Unit> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            for (Path file : scripts(paths.get(i), displayed.get(i))) {
                String display = Files.isDirectory(paths.get(i))
                        ? join(displayed.get(i), paths.get(i).relativize(file).toString()) : displayed.get(i);
                List<String> blocks = blockNames(file);
                if (blocks.isEmpty()) out.add(new Unit(file, display, null));
                else for (String b : blocks) out.add(new Unit(file, display, b));
            }
        }
        return out;
    }

    private static String join(String dir, String rel) { return dir.endsWith("/") ? dir + rel : dir + "/" + rel; }

    static List<Path> scripts(Path path, String displayed) {
        if (Files.isRegularFile(path)) return List.of(path);
        if (!Files.isDirectory(path))
            throw new HutchException("no such script or directory: " + displayed + " (give .groovy files or directories of them)");
        try (Stream<Path> s = Files.walk(path)) {
            List<Path> found = s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".groovy")).sorted().toList();
            if (found.isEmpty()) throw new HutchException("no .groovy scripts under " + displayed + " (hutch test runs sandbox scripts)");
            return found;
        } catch (IOException e) {
            throw new HutchException("cannot list " + displayed + ": " + e.getMessage(), e);
        }
    }

    /**
     * The literal names of the top-level {@code test(...)} calls. A script that does not compile
     * has none here: it runs as one test, which then reports the compile error at its line.
     */
    static List<String> blockNames(Path file) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        try {
            CompilationUnit cu = new CompilationUnit(ScriptRunner.compilerConfiguration());
            SourceUnit source = cu.addSource(file.toFile());
            cu.compile(Phases.CONVERSION);
            ModuleNode module = source.getAST();
            for (Statement st : module.getStatementBlock().getStatements()) {
                if (st instanceof ExpressionStatement es && es.getExpression() instanceof MethodCallExpression call
                        && call.isImplicitThis() && "test".equals(call.getMethodAsString())
                        && call.getArguments() instanceof TupleExpression args && !args.getExpressions().isEmpty()) {
                    Expression first = args.getExpression(0);
                    if (first instanceof ConstantExpression c && c.getValue() instanceof String s) names.add(s);
                }
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return List.copyOf(names);
    }
}
