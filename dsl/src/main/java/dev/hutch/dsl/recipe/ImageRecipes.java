package dev.hutch.dsl.recipe;

import dev.hutch.engine.Engine;
import dev.hutch.rootfs.recipe.BuildReport;
import dev.hutch.rootfs.recipe.RecipeBuilder;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The script word {@code image('site') { from 'busybox'; copy 'site/', '/www/' }}: builds the
 * recipe (cached like {@code hutch build}) with the script's directory as the build context, tags
 * the result and returns its name for {@code container { image ... }}. Built images stay after the
 * script, as committed ones do.
 */
public final class ImageRecipes {
    private ImageRecipes() {}

    /**
     * @param context  the build context; null for {@code baseDir}
     * @param progress where the step lines go; null for none
     */
    public static BuildReport build(Engine engine, String name, RecipeSteps steps, Path baseDir, Path context, boolean noCache,
                                    PrintStream progress) {
        Path ctx = context == null ? baseDir : baseDir.resolve(context);
        return new RecipeBuilder(engine, line -> { if (progress != null) progress.println(line); })
                .build(steps.steps(), ctx, new RecipeBuilder.Options(List.of(name), noCache));
    }
}
