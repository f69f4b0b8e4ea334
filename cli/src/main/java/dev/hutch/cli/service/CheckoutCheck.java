package dev.hutch.cli.service;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the launcher of a source checkout asks before each call (docs/engine-service.md): is this
 * service running my build, and is my build still current? The client sends its checkout's build
 * stamp and sources in its environment ({@value #STAMP}, {@value #SOURCES}); the service was
 * started with its own stamp in its environment.
 *
 * <ul>
 *   <li>Another checkout's stamp (sent on every call from a checkout, sources or not): this service runs another build's code, so the call must not
 *       run here (the client runs it in-process). Two checkouts share the default socket.</li>
 *   <li>A source newer than the build: the client rebuilds, as the launcher did before each call.
 *       No sources: the launcher has just checked or built, nothing to ask.</li>
 * </ul>
 * A call without a stamp (an installed hutch, or {@code HUTCH_NO_BUILD=1}) is served as it is.
 */
final class CheckoutCheck {
    static final String STAMP = "HUTCH_BUILD_STAMP", SOURCES = "HUTCH_BUILD_SOURCES";

    enum Answer { SERVE, REBUILD, OTHER_BUILD }

    private final String ownStamp;
    private SourceWatch watch;

    CheckoutCheck(String ownStamp) { this.ownStamp = ownStamp == null || ownStamp.isEmpty() ? null : ownStamp; }

    static CheckoutCheck ofThisService() { return new CheckoutCheck(System.getenv(STAMP)); }

    Answer check(Map<String, String> callerEnv) {
        String stamp = callerEnv.get(STAMP);
        if (stamp == null || stamp.isEmpty()) return Answer.SERVE;
        if (ownStamp != null && !ownStamp.equals(stamp)) return Answer.OTHER_BUILD;
        List<Path> sources = sources(callerEnv.get(SOURCES));
        if (sources.isEmpty()) return Answer.SERVE; // the launcher has just checked (or built)
        try {
            return watchFor(Path.of(stamp), sources).stale() ? Answer.REBUILD : Answer.SERVE;
        } catch (IOException | RuntimeException e) {
            // The client's own walk gave "cannot tell" the same way: run what is built.
            EngineService.log("cannot tell whether the sources changed: " + e.getMessage());
            return Answer.SERVE;
        }
    }

    /** The watch of the build on disk: made at the first call, again after each rebuild. */
    private synchronized SourceWatch watchFor(Path stamp, List<Path> sources) throws IOException {
        if (watch != null && watch.stamp().equals(stamp) && watch.describesBuild()) return watch;
        if (watch != null) watch.close();
        watch = null;
        watch = SourceWatch.open(stamp, sources);
        return watch;
    }

    /** Newline-separated paths (a path may hold ':', never a newline in a checkout worth building). */
    static List<Path> sources(String text) {
        List<Path> paths = new ArrayList<>();
        if (text != null) for (String s : text.split("\n")) if (!s.isEmpty()) paths.add(Path.of(s));
        return paths;
    }
}
