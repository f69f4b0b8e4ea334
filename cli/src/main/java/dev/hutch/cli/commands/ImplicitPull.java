package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.ImageReference;

import java.util.List;

/**
 * {@code run --pull missing|always|never}: "always" pulls; "missing" (docker's default) pulls when
 * the store lacks the image and it is not one hutch builds itself (busybox); "never" leaves it to
 * the engine's "Unable to find image". The check is one read of the tag index: with the image
 * present, no registry or HTTP class is loaded ({@link Pulls} holds them). The pull's lines go to
 * stderr, so the container's stdout stays its own.
 */
final class ImplicitPull {
    private ImplicitPull() {}

    static Flags declare(Flags flags) {
        return flags.value("pull", null, "Pull image before running (\"always\", \"missing\", \"never\") (default \"missing\")")
                .value("platform", null, "Platform to pull if the image is multi-platform (os/arch[/variant])")
                .bool("quiet", "q", "Suppress the pull output");
    }

    /**
     * @return what the engine should run: the reference as given, or for {@code NAME@sha256:…} the
     * pulled image's id (such a pull is stored untagged, as docker does, so the name finds nothing)
     */
    static String beforeRun(Context ctx, Flags.Parsed a, String image, String builtinName) {
        return pullFor(ctx, a.value("pull", "missing"), a.value("platform"), a.bool("quiet"), image, builtinName);
    }

    /** {@code build}: the recipe's base image, by the same rules ({@code --pull} is "always"). */
    static void beforeBuild(Context ctx, String policy, String platform, boolean quiet, String image, String builtinName) {
        pullFor(ctx, policy, platform, quiet, image, builtinName);
    }

    private static String pullFor(Context ctx, String policy, String platform, boolean quiet, String image, String builtinName) {
        switch (policy) {
            case "never" -> { return image; }
            case "missing" -> {
                if (builtinName.equals(ImageReference.normalizeOrNull(image)) || ImageStores.of(ctx).find(image) != null) return image;
                if (!quiet) ctx.err().println("Unable to find image '" + image + "' locally");
            }
            case "always" -> { }
            default -> throw new HutchException("--pull: \"" + policy + "\" is not a pull policy (use missing, always or never)");
        }
        var pulled = Pulls.pull(ctx, image, platform, List.of(), quiet, ctx.err());
        return image.contains("@") ? pulled.image().id() : image;
    }
}
