package dev.hutch.cli.commands;

import dev.hutch.cli.Context;
import dev.hutch.registry.ImagePuller;
import dev.hutch.registry.Platform;
import dev.hutch.registry.PullResult;
import dev.hutch.registry.Reference;
import dev.hutch.registry.RegistryConfig;

import java.io.PrintStream;
import java.util.List;

/**
 * A pull with docker's output, shared by {@code pull} and the implicit pull of {@code run}. The
 * registry classes are loaded only here, so a {@code run} of an image already stored never loads
 * them (nor the JDK's HTTP client).
 */
final class Pulls {
    private Pulls() {}

    static PullResult pull(Context ctx, String name, String platform, List<String> insecure, boolean quiet, PrintStream out) {
        Reference ref = Reference.parse(name);
        Platform wanted = platform == null || platform.isBlank() ? Platform.host() : Platform.parse(platform);
        RegistryConfig config = RegistryConfig.fromEnvironment(ctx.env(), ctx.config().libRoot()).withInsecure(insecure);
        PullPrinter printer = new PullPrinter(out, onTerminal(ctx, out), quiet);
        printer.line((ref.tag() != null ? ref.tag() : ref.digest()) + ": Pulling from " + ref.shownRepository());
        PullResult r = new ImagePuller(ImageStores.of(ctx), config).pull(ref, wanted, printer);
        ctx.engine().imageEvent("pull", shown(ref), ref.localName());
        printer.line("Digest: " + r.manifestDigest());
        printer.line(r.downloaded() ? "Status: Downloaded newer image for " + shown(ref) : "Status: Image is up to date for " + shown(ref));
        return r;
    }

    /** Whether out is the caller's stdout or stderr and that is a terminal (progress redrawn in place). */
    private static boolean onTerminal(Context ctx, PrintStream out) {
        return out == ctx.out() ? ctx.stdoutIsTerminal() : out == ctx.err() && ctx.stderrIsTerminal();
    }

    /** "127.0.0.1:5000/app:1", "alpine:latest", "alpine@sha256:..." as docker's status line names it. */
    private static String shown(Reference ref) {
        return ref.localName() + (ref.tag() != null ? ":" + ref.tag() : "@" + ref.digest());
    }
}
