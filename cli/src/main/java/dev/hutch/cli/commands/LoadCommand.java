package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.Image;
import dev.hutch.image.ImageLoader;

import java.io.IOException;
import java.util.List;

/** hutch load: images from a docker-archive or OCI-layout tar (docker save, podman save, hutch save). */
public final class LoadCommand implements Command {
    public String name() { return "load"; }
    public String summary() { return "Load images from a tar archive (docker-archive or OCI layout)"; }
    public String usage() { return "load [OPTIONS]"; }

    public Flags flags() {
        return new Flags(name()).value("input", "i", "Read from tar archive file, instead of STDIN")
                .bool("quiet", "q", "Suppress the load output (accepted for docker compatibility)");
    }

    public int run(Context ctx, Flags.Parsed a) throws IOException {
        if (!a.positional().isEmpty()) throw new HutchException("\"hutch load\" takes no arguments (use -i FILE, or pipe the tar in)");
        ImageLoader loader = new ImageLoader(ImageStores.of(ctx));
        List<Image> images = ArchiveFiles.read(ctx, a.value("input"), "loading", loader::load);
        for (Image image : images) {
            ctx.engine().imageEvent("load", image.id(), image.repoTags().isEmpty() ? image.id() : image.repoTags().get(0));
            if (image.repoTags().isEmpty()) ctx.out().println("Loaded image ID: " + image.id());
            image.repoTags().forEach(t -> ctx.out().println("Loaded image: " + t));
        }
        return 0;
    }
}
