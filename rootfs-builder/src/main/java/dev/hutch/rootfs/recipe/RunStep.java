package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;
import dev.hutch.engine.Engine;
import dev.hutch.engine.Started;
import dev.hutch.image.ImageCommitter;
import dev.hutch.logs.LogEntry;
import dev.hutch.spec.ContainerSpec;
import dev.hutch.state.ExitRecord;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@code run} step: the command in a throwaway container on the current image (no network, the
 * image's env, workdir and user, its entrypoint ignored as Dockerfile's RUN ignores it), detached
 * and waited for; on exit 0 its writable layer is committed as the next image. The container is
 * removed whatever happens, and nothing is committed when the command fails, so a failed step
 * leaves neither a container nor a layer.
 */
final class RunStep {
    /** How many of the command's last output lines a failure shows. */
    static final int TAIL_LINES = 10;

    private final Engine engine;
    private final Consumer<String> progress;

    RunStep(Engine engine, Consumer<String> progress) {
        this.engine = engine;
        this.progress = progress;
    }

    /** @return the id of the image made from {@code imageId} plus the command's changes */
    String run(String imageId, Step step, int index, int total) {
        ContainerSpec.Builder b = ContainerSpec.builder(imageId).name(containerName(index)).network("none");
        b.process().entrypoint(List.of()).command(step.args());
        Started started = engine.run(b.build(), true);
        String id = started.id();
        try {
            ExitRecord exit = awaitExit(id);
            List<LogEntry> log = engine.logs(id).read(-1, null);
            for (LogEntry e : log) progress.accept("  | " + stripNewline(e.text()));
            if (exit.exitCode() != 0) {
                throw new HutchException(step.where(index) + " of " + total + " failed: " + step.describe()
                        + " exited with code " + exit.exitCode() + (exit.oomKilled() ? " (killed: out of memory)" : "")
                        + lastLines(log) + "\n(fix the command; the steps before it are cached, so the next build starts here)");
            }
            return commit(id, step);
        } finally {
            try {
                engine.remove(id, true, true);
            } catch (RuntimeException e) {
                progress.accept("hutch build: could not remove the build container " + id.substring(0, 12) + ": " + e.getMessage()
                        + " (remove it with: hutch rm -f " + id.substring(0, 12) + ")");
            }
        }
    }

    /** The container's writable layer on top of its image (the step's parent), untagged. */
    private String commit(String containerId, Step step) {
        return engine.commit(containerId, new ImageCommitter.CommitOptions(List.of(), null, null,
                step.describe() + " # hutch build", List.of()));
    }

    /** The exit record follows the end of init within moments (see the DSL's handle): wait for it. */
    private ExitRecord awaitExit(String id) {
        engine.waitFor(id);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        ExitRecord r = engine.exitRecord(id);
        while (r == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HutchException("interrupted while waiting for the build container");
            }
            r = engine.exitRecord(id);
        }
        if (r == null) throw new HutchException("the build container " + id.substring(0, 12) + " ended but its exit code was never recorded");
        return r;
    }

    private static String lastLines(List<LogEntry> log) {
        if (log.isEmpty()) return " and printed nothing";
        List<String> lines = new ArrayList<>();
        for (LogEntry e : log) lines.add("  " + stripNewline(e.text()));
        return "; its last output:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    private static String stripNewline(String s) { return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s; }

    private static String containerName(int index) {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return "hutch-build-" + HexFormat.of().formatHex(b) + "-step" + index;
    }
}
