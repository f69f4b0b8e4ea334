package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.util.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs {@code hutch-helper exec} for a command in a running container. The exec file is written
 * next to the container's state and removed afterwards; the helper's exit code is the command's.
 */
public final class ExecLauncher {
    private final Path helper;
    private final ChildStdio stdio;

    /** @param stdio the caller's stdio, for {@link #run} */
    public ExecLauncher(Path helper, ChildStdio stdio) {
        this.helper = helper;
        this.stdio = stdio;
    }

    /**
     * Foreground: the command gets the caller's stdin/stdout/stderr (and a pty with tty).
     *
     * @param started told the helper's process as soon as it runs: the caller's signals go to it
     *                (it passes them to the command)
     */
    public int run(Path stateDir, LaunchFile exec, java.util.function.Consumer<Process> started) {
        Path file = write(stateDir, exec);
        try {
            Process p = stdio.startHelperAttached(java.util.List.of(helper.toString(), "exec", file.toString()));
            started.accept(p);
            return p.waitFor();
        } catch (IOException e) {
            throw new HutchException("cannot start the native helper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        } finally {
            delete(file);
        }
    }

    /** Captures stdout and stderr; stdin is /dev/null. */
    public ExecResult capture(Path stateDir, LaunchFile exec) {
        Path file = write(stateDir, exec);
        try {
            Process p = new ProcessBuilder(helper.toString(), "exec", file.toString())
                    .redirectInput(new File("/dev/null")).start();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err), "exec-stderr");
            errReader.start();
            byte[] out = p.getInputStream().readAllBytes();
            int code = p.waitFor();
            errReader.join();
            return new ExecResult(code, new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HutchException("cannot start the native helper: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted", e);
        } finally {
            delete(file);
        }
    }

    private static Path write(Path stateDir, LaunchFile exec) {
        Path file = stateDir.resolve("exec-" + NameGenerator.newId().substring(0, 12));
        AtomicFiles.write(file, exec.render());
        return file;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try { Files.deleteIfExists(p); } catch (IOException ignored) { /* state dir cleanup removes it */ }
    }
}
