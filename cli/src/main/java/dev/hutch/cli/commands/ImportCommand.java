package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.Image;
import dev.hutch.image.ImageCommitter;

import java.io.IOException;
import java.util.List;

/** hutch import: a flat file-system tar (plain or gzip, from a file or stdin) as a one-layer image. */
public final class ImportCommand implements Command {
    public String name() { return "import"; }
    public String summary() { return "Import the contents from a tarball to create a filesystem image"; }
    public String usage() { return "import [OPTIONS] FILE|- [REPOSITORY[:TAG]]"; }

    public Flags flags() {
        return new Flags(name()).value("change", "c", "Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, STOPSIGNAL")
                .value("message", "m", "Set commit message for imported image");
    }

    public int run(Context ctx, Flags.Parsed a) throws IOException {
        List<String> pos = a.positional();
        if (pos.isEmpty() || pos.size() > 2) throw new HutchException("\"hutch import\" requires 1 or 2 arguments: FILE|- [REPOSITORY[:TAG]]");
        List<String> tags = pos.size() == 2 ? List.of(pos.get(1)) : List.of();
        ImageCommitter committer = new ImageCommitter(ImageStores.of(ctx));
        Image image = ArchiveFiles.read(ctx, pos.get(0), "importing",
                in -> committer.importTarball(in, a.values("change"), a.value("message", ""), tags));
        ctx.engine().imageEvent("import", image.id(), image.repoTags().isEmpty() ? image.id() : image.repoTags().get(0));
        ctx.out().println(image.id());
        return 0;
    }
}
