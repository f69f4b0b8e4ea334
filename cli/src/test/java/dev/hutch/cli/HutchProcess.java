package dev.hutch.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI as a user runs it: a separate process, stdin from /dev/null, the engine's roots handed
 * over in the environment (TestRoots.environment()), both streams captured.
 *
 * <p>Two ways, the same assertions: by default a JVM on the test's classpath runs
 * {@code dev.hutch.cli.Main} in-process; with {@code -Dhutch.cli.via=service} (the cli module's
 * second surefire run) the native client {@code hutch-client} sends the same command to the engine
 * service (see {@link EngineServiceUnderTest}), which it starts on first use.
 */
public final class HutchProcess {
    /** The exit code and what hutch printed on each stream. */
    public record Result(int code, String out, String err) {}

    private HutchProcess() {}

    /** True when this test JVM sends the CLI's commands through the engine service. */
    public static boolean viaService() { return "service".equals(System.getProperty("hutch.cli.via")); }

    /** The command line of hutch with these args, the way this test JVM runs it (in-process or through the service). */
    public static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cold = coldCommand(jvmOptions);
        List<String> cmd = viaService() ? EngineServiceUnderTest.clientCommand(cold) : new ArrayList<>(cold);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Adds what the client needs to find this JVM's service, when commands go through it. */
    public static ProcessBuilder withServiceEnvironment(ProcessBuilder pb) {
        if (viaService()) pb.environment().putAll(EngineServiceUnderTest.environment());
        return pb;
    }

    public static Result run(Map<String, String> env, List<String> jvmOptions, String... args) {
        return run(env, jvmOptions, new File("/dev/null"), args);
    }

    /** As {@link #run}, printing the command, its exit code and its output (kept in the test's report). */
    public static Result runShown(Map<String, String> env, String... args) {
        return shown(run(env, List.of(), args), args);
    }

    /** Prints a result as {@link #runShown} does, for callers that ran the command their own way. */
    public static Result shown(Result r, String... args) {
        System.out.println("$ hutch " + String.join(" ", args) + "  -> " + r.code() + "\n" + r.out() + r.err());
        return r;
    }

    /** As above, with stdin read from {@code stdin} (e.g. a password for {@code login --password-stdin}). */
    public static Result run(Map<String, String> env, List<String> jvmOptions, File stdin, String... args) {
        ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args)).redirectInput(ProcessBuilder.Redirect.from(stdin));
        pb.environment().putAll(env);
        withServiceEnvironment(pb);
        return capture(pb, null, args[0]);
    }

    /**
     * Starts {@code pb}, writes {@code stdin} to the process (and closes it) unless null, and
     * returns its exit code and both outputs; fails the test if it takes more than 120 s.
     */
    public static Result capture(ProcessBuilder pb, byte[] stdin, String what) {
        try {
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
                p.getOutputStream().close();
            }
            // stderr on a thread of its own, so neither stream can fill its pipe and stall hutch
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            errReader.start();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "hutch did not finish: " + what);
            errReader.join();
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The in-process CLI: a JVM on this test's classpath running Main. */
    public static List<String> coldCommand(List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        return cmd;
    }

    public static String java() { return ProcessHandle.current().info().command().orElse("java"); }
}
