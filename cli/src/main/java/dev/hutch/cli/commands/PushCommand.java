package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.Image;
import dev.hutch.registry.ImagePusher;
import dev.hutch.registry.Reference;
import dev.hutch.registry.RegistryConfig;

/** hutch push: a stored image to a registry, as docker sends it (docs/registries.md). */
public final class PushCommand implements Command {
    /** docker push exits 1 on failure, not 125. */
    static final int PUSH_FAILED = 1;

    public String name() { return "push"; }
    public String summary() { return "Upload an image to a registry"; }
    public String usage() { return "push [OPTIONS] NAME[:TAG]"; }

    public Flags flags() {
        return new Flags(name())
                .bool("quiet", "q", "Suppress verbose output: print only the final digest line")
                .value("insecure-registry", null, "Allow plain HTTP for this registry HOST:PORT (also env HUTCH_INSECURE_REGISTRIES)");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) throw new HutchException(PUSH_FAILED, "\"hutch push\" requires exactly 1 argument: NAME[:TAG]", null);
        try {
            String name = a.positional().get(0);
            Reference ref = Reference.parse(name);
            RegistryConfig config = RegistryConfig.fromEnvironment(ctx.env(), ctx.config().libRoot()).withInsecure(a.values("insecure-registry"));
            ImagePusher pusher = new ImagePusher(ImageStores.of(ctx), config, chunkBytes(ctx), !chunkSizeSet(ctx));
            Image image = pusher.find(ref);
            if (image == null)
                throw new HutchException("An image does not exist locally with the tag: " + name
                        + " (give an image that name first: hutch tag IMAGE " + ref.localTag() + ")");
            boolean quiet = a.bool("quiet");
            PullPrinter printer = new PullPrinter(ctx.out(), ctx.stdoutIsTerminal(), quiet, "Pushing");
            printer.line("The push refers to repository [" + ref.shownRepository() + "]");
            ImagePusher.PushResult r = pusher.push(ref, image, printer);
            printer.line(null);
            ctx.engine().imageEvent("push", ref.localName() + ":" + r.tag(), ref.localName());
            ctx.out().println(r.tag() + ": digest: " + r.digest() + " size: " + r.size());
            return 0;
        } catch (HutchException e) {
            throw new HutchException(PUSH_FAILED, e.getMessage(), e);
        }
    }

    /**
     * HUTCH_PUSH_CHUNK_SIZE (bytes) asks for chunked uploads of that size, for a registry behind a
     * proxy that caps a request's body; without it, larger layers go up in one streamed PATCH.
     */
    private static boolean chunkSizeSet(Context ctx) {
        String v = ctx.env().get("HUTCH_PUSH_CHUNK_SIZE");
        return v != null && !v.isBlank();
    }

    /** The chunk of a chunked upload; a blob that fits in one goes up in one PUT (env HUTCH_PUSH_CHUNK_SIZE, bytes). */
    private static int chunkBytes(Context ctx) {
        String v = ctx.env().get("HUTCH_PUSH_CHUNK_SIZE");
        if (v == null || v.isBlank()) return ImagePusher.DEFAULT_CHUNK_BYTES;
        try {
            long n = Long.parseLong(v.trim());
            if (n >= 4096 && n <= 512L * 1024 * 1024) return (int) n;
        } catch (NumberFormatException ignored) {
            // the line below
        }
        throw new HutchException("HUTCH_PUSH_CHUNK_SIZE: \"" + v + "\" is not a chunk size in bytes between 4096 and 536870912 (unset it for 4 MiB)");
    }
}
