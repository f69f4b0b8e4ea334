package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.dsl.recipe.RecipeFile;
import dev.hutch.rootfs.recipe.RecipeBuilder;

import java.nio.file.Path;
import java.util.List;

/**
 * hutch build -f recipe.groovy -t NAME[:TAG] [CONTEXT]: a Groovy recipe built step by step, each
 * unchanged step taken from the build cache. Made only when asked for, so Groovy (loaded by
 * {@link RecipeFile}) never loads on {@code hutch run}. A failed step is an error (exit 125) naming
 * the step, its command and exit code.
 */
public final class BuildCommand implements Command {
    public String name() { return "build"; }
    public String summary() { return "Build an image from a Groovy recipe"; }
    public String usage() { return "build [OPTIONS] [CONTEXT_DIR]   (default context: the recipe's directory)"; }

    public Flags flags() {
        return new Flags(name()).value("file", "f", "The recipe (default: recipe.groovy in the context)")
                .value("tag", "t", "Name and optionally a tag, name:tag (repeatable)")
                .bool("no-cache", null, "Run every step, even those whose result is cached")
                .bool("pull", null, "Always attempt to pull a newer version of the base image (default: pull it only when missing)")
                .value("platform", null, "Platform to pull if the base image is multi-platform (os/arch[/variant])")
                .bool("quiet", "q", "Suppress the pull output");
    }

    public int run(Context ctx, Flags.Parsed a) {
        List<String> pos = a.positional();
        if (pos.size() > 1) throw new HutchException("\"hutch build\" takes at most one context dir, got " + pos + " (try: hutch build -f recipe.groovy -t NAME .)");
        Path recipe = a.value("file") != null ? ctx.path(a.value("file"))
                : ctx.path(pos.isEmpty() ? "." : pos.get(0)).resolve("recipe.groovy");
        Path context = pos.isEmpty() ? recipe.getParent() : ctx.path(pos.get(0));
        var steps = RecipeFile.load(recipe);
        pullBase(ctx, a, steps);
        new RecipeBuilder(ctx.engine(), ctx.out()::println)
                .build(steps, context, new RecipeBuilder.Options(a.values("tag"), a.bool("no-cache")));
        return 0;
    }

    /**
     * The base image of the recipe's {@code from}, pulled as {@code run} pulls (docker build does the
     * same): when the store lacks it, or always with {@code --pull}. A recipe without a {@code from}
     * first is left to the builder, which says what is wrong.
     */
    private static void pullBase(Context ctx, Flags.Parsed a, List<dev.hutch.rootfs.recipe.Step> steps) {
        if (steps.isEmpty() || steps.get(0).kind() != dev.hutch.rootfs.recipe.Step.Kind.FROM) return;
        String base = steps.get(0).args().get(0);
        ImplicitPull.beforeBuild(ctx, a.bool("pull") ? "always" : "missing", a.value("platform"), a.bool("quiet"), base,
                dev.hutch.rootfs.BusyboxImage.NAME);
    }
}
