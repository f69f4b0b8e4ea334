package dev.hutch.dsl;

import dev.hutch.engine.Engine;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Evaluates DSL snippets the way the runner does, with no engine unless a test gives one. */
final class DslTesting {
    private DslTesting() {}

    /** An engine supplier for tests that must not reach the host: using it fails the test. */
    static final Supplier<Engine> NO_ENGINE = () -> {
        throw new AssertionError("this test must not touch the engine");
    };

    static Object eval(String code) {
        Sandbox sandbox = new Sandbox(NO_ENGINE, "test.groovy", Path.of("/work"), System.err);
        Binding b = new Binding();
        b.setVariable(HutchScript.SANDBOX, sandbox);
        return new GroovyShell(DslTesting.class.getClassLoader(), b, ScriptRunner.compilerConfiguration())
                .evaluate(code, "test.groovy");
    }

    /** Captures a stream's text. */
    static final class Captured {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() { return bytes.toString(StandardCharsets.UTF_8); }
    }
}
