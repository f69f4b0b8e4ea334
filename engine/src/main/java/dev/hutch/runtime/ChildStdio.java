package dev.hutch.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How the engine starts the native helper for one caller: the caller's stdio and environment.
 * The in-process CLI's caller is this JVM ({@link #inherited()}); the engine service's callers
 * are its clients, whose descriptors it received ({@link #of}).
 */
public interface ChildStdio {
    /** Foreground: the child gets the caller's stdin, stdout, stderr (a terminal if they are one). */
    Process startAttached(List<String> argv) throws IOException;

    /** Background: stdin /dev/null, stdout discarded, stderr to stderrFile (truncated). */
    Process startDetached(List<String> argv, Path stderrFile) throws IOException;

    /**
     * {@link #startAttached} for the native helper (argv[0]). The service's spawner execs it from
     * one sealed memfd copy ({@link SealedHelper}), sparing the helper its own copy and second exec.
     */
    default Process startHelperAttached(List<String> argv) throws IOException { return startAttached(argv); }

    /** {@link #startDetached} for the native helper, as {@link #startHelperAttached}. */
    default Process startHelperDetached(List<String> argv, Path stderrFile) throws IOException {
        return startDetached(argv, stderrFile);
    }

    /** This JVM's own stdio and environment (ProcessBuilder.inheritIO): the in-process CLI, as today. */
    static ChildStdio inherited() { return InheritedStdio.INSTANCE; }

    /**
     * Given descriptors (the service's received fds) and an environment: posix_spawn + dup2. The
     * descriptors stay the caller's: they are copied into each child, never closed here. The
     * child's environment is exactly {@code env}.
     */
    static ChildStdio of(int stdinFd, int stdoutFd, int stderrFd, Map<String, String> env) {
        return new DescriptorStdio(stdinFd, stdoutFd, stderrFd, env);
    }
}
