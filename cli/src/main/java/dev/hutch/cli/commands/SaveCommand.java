package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.ImageSaver;
import dev.hutch.image.LocalImageStore;
import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.util.List;

/** hutch save: images as a docker-archive or OCI-layout tar (to -o FILE or stdout), for docker/podman load. */
public final class SaveCommand implements Command {
    public String name() { return "save"; }
    public String summary() { return "Save one or more images to a tar archive (docker-archive or oci-archive)"; }
    public String usage() { return "save [OPTIONS] IMAGE [IMAGE...]"; }

    public Flags flags() {
        return new Flags(name()).value("output", "o", "Write to a file, instead of STDOUT")
                .value("format", null, "docker-archive (default, what docker load reads) or oci-archive");
    }

    public int run(Context ctx, Flags.Parsed a) throws IOException {
        List<String> refs = a.positional();
        if (refs.isEmpty()) throw new HutchException("\"hutch save\" requires at least 1 argument: IMAGE...");
        ImageSaver.Format format = switch (a.value("format", "docker-archive")) {
            case "docker-archive", "docker" -> ImageSaver.Format.DOCKER_ARCHIVE;
            case "oci-archive", "oci" -> ImageSaver.Format.OCI_LAYOUT;
            default -> throw new InvalidSpecException("--format", a.value("format"), "is not an archive format (use docker-archive or oci-archive)");
        };
        LocalImageStore store = ImageStores.of(ctx);
        refs.forEach(store::resolve); // an unknown image fails before any file is made
        ArchiveFiles.write(ctx, a.value("output"), "saving", out -> new ImageSaver(store).save(refs, format, out));
        for (String ref : refs) ctx.engine().imageEvent("save", store.resolve(ref).id(), ref);
        return 0;
    }
}
