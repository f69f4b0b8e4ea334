package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.image.ImageCommitter.CommitOptions;

import java.util.List;

/** hutch commit: the container's changes become a new layer on top of its image; prints the new id. */
public final class CommitCommand implements Command {
    public String name() { return "commit"; }
    public String summary() { return "Create a new image from a container's changes"; }
    public String usage() { return "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]"; }

    public Flags flags() {
        return new Flags(name()).value("change", "c", "Apply a Dockerfile instruction to the image: CMD, ENTRYPOINT, ENV, WORKDIR, USER, EXPOSE, LABEL, STOPSIGNAL")
                .value("message", "m", "Commit message")
                .value("author", "a", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.isEmpty() || pos.size() > 2)
            throw new HutchException("\"hutch commit\" requires 1 or 2 arguments: CONTAINER [REPOSITORY[:TAG]]");
        List<String> tags = pos.size() == 2 ? List.of(pos.get(1)) : List.of();
        // createdBy null: the engine records the container's command, as docker's history shows it
        CommitOptions options = new CommitOptions(a.values("change"), a.value("author"), a.value("message"), null, tags);
        ctx.out().println(ctx.engine().commit(pos.get(0), options));
        return 0;
    }
}
