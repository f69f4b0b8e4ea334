package dev.hutch.dsl.recipe;

import groovy.lang.Script;

import java.util.Map;

/**
 * The base class of a {@code recipe.groovy} file: its top-level words are the recipe's steps
 * ({@link RecipeSteps}), so the file reads like a Dockerfile.
 */
public abstract class RecipeScript extends Script {
    /** The binding variable through which {@link RecipeFile} hands in the collector. */
    static final String STEPS = "hutchRecipeSteps";

    private RecipeSteps steps() { return (RecipeSteps) getBinding().getVariable(STEPS); }

    public void from(String image) { steps().from(image); }

    public void run(Object... argv) { steps().run(argv); }

    public void copy(String source, String dest) { steps().copy(source, dest); }

    public void env(String key, Object value) { steps().env(key, value); }

    public void env(Map<String, ?> vars) { steps().env(vars); }

    public void workdir(String dir) { steps().workdir(dir); }

    public void user(Object user) { steps().user(user); }

    public void cmd(Object... argv) { steps().cmd(argv); }

    public void entrypoint(Object... argv) { steps().entrypoint(argv); }

    public void label(String key, Object value) { steps().label(key, value); }

    public void label(Map<String, ?> labels) { steps().label(labels); }
}
