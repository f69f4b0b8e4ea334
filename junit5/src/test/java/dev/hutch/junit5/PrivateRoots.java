package dev.hutch.junit5;

import dev.hutch.config.EngineConfig;
import dev.hutch.testing.TestRoots;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's private engine roots ({@link TestRoots}) as an extension. Registered before the
 * {@link HutchExtension} (a lower {@code @Order}), its afterAll runs after the extension's, so it
 * checks, once the containers are removed, that the class left nothing (containers, cgroups) and
 * deletes the roots.
 */
final class PrivateRoots implements AfterAllCallback {
    private TestRoots roots;

    synchronized TestRoots roots() {
        if (roots == null) roots = new TestRoots();
        return roots;
    }

    EngineConfig config() { return roots().config(); }

    @Override
    public synchronized void afterAll(ExtensionContext ctx) {
        if (roots != null) roots.close();
        roots = null;
    }
}
