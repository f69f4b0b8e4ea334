package dev.hutch.util;

import dev.hutch.config.CallerEnvironment;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only pause at a named step of {@code run}, so a test can kill the hutch process exactly
 * there (docs/testing.md, "Crash tests"). It acts only when both {@code HUTCH_TEST_HOLD_AT} (the
 * step) and {@code HUTCH_TEST_HOLD_FILE} (an absolute path whose parent exists) are set: the step
 * creates that file and waits while it exists. Nothing else reads these variables, a production
 * run never sets both by accident, and the worst an accidental hold does is wait until the file
 * is deleted; it changes nothing on the host by itself. Both come from the caller's environment
 * (the engine service runs many callers; only the one that asked holds).
 */
public final class StepHold {
    private StepHold() {}

    public static void at(CallerEnvironment caller, String step) {
        String at = caller.get("HUTCH_TEST_HOLD_AT"), file = caller.get("HUTCH_TEST_HOLD_FILE");
        if (at == null || file == null || !at.equals(step)) return;
        Path f = Path.of(file);
        if (!f.isAbsolute() || f.getParent() == null || !Files.isDirectory(f.getParent())) return;
        try {
            Files.writeString(f, step + " " + ProcessHandle.current().pid() + "\n", java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            while (Files.exists(f)) Thread.sleep(10);
        } catch (FileAlreadyExistsException e) {
            // another run already holds there: do not hold twice
        } catch (IOException | InterruptedException e) {
            // a hold that cannot be made is no hold
        }
    }
}
