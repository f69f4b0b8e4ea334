package dev.hutch.rootfs.recipe;

import dev.hutch.HutchException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One instruction of a recipe, as a Dockerfile line would hold it. Made through the factories, which
 * check the arguments at once, so that a recipe with a mistake fails before anything is built.
 *
 * @param origin where the step was written, e.g. {@code recipe.groovy:4}, for error messages; may be null
 */
public record Step(Kind kind, List<String> args, String origin) {

    public enum Kind {
        FROM, RUN, COPY, ENV, WORKDIR, USER, CMD, ENTRYPOINT, LABEL;

        /** Steps that change only the image config: no layer, a history entry with empty_layer. */
        public boolean configOnly() { return this != FROM && this != RUN && this != COPY; }

        public String word() { return name().toLowerCase(Locale.ROOT); }
    }

    public Step {
        args = List.copyOf(args);
    }

    public static Step from(String image, String origin) {
        return new Step(Kind.FROM, List.of(nonBlank(Kind.FROM, "an image", image, "from 'busybox'")), origin);
    }

    /**
     * {@code run 'sh', '-c', 'make'} runs the argv as given; a single string, {@code run 'make && make install'},
     * runs through {@code /bin/sh -c} as Dockerfile's shell form does.
     */
    public static Step run(List<String> argv, String origin) {
        if (argv.isEmpty() || argv.get(0).isBlank())
            throw new HutchException("run needs a command (try: run 'sh', '-c', 'echo hi > /hello')");
        List<String> full = argv.size() == 1 ? List.of("/bin/sh", "-c", argv.get(0)) : argv;
        return new Step(Kind.RUN, full, origin);
    }

    public static Step copy(String source, String dest, String origin) {
        nonBlank(Kind.COPY, "a source", source, "copy 'site/', '/www/'");
        nonBlank(Kind.COPY, "a destination", dest, "copy 'site/', '/www/'");
        return new Step(Kind.COPY, List.of(source, dest), origin);
    }

    public static Step env(String key, String value, String origin) {
        if (key == null || key.isEmpty() || key.contains("=") || key.chars().anyMatch(Character::isWhitespace))
            throw new HutchException("env: \"" + key + "\" is not a variable name (try: env 'GREETING', 'hello')");
        return new Step(Kind.ENV, List.of(key, value == null ? "" : value), origin);
    }

    public static Step workdir(String dir, String origin) {
        return new Step(Kind.WORKDIR, List.of(nonBlank(Kind.WORKDIR, "a directory", dir, "workdir '/www'")), origin);
    }

    public static Step user(String user, String origin) {
        return new Step(Kind.USER, List.of(nonBlank(Kind.USER, "a user", user, "user 'nobody' or user '1000:1000'")), origin);
    }

    public static Step cmd(List<String> argv, String origin) { return new Step(Kind.CMD, argv, origin); }

    public static Step entrypoint(List<String> argv, String origin) { return new Step(Kind.ENTRYPOINT, argv, origin); }

    public static Step label(String key, String value, String origin) {
        nonBlank(Kind.LABEL, "a key", key, "label 'team', 'core'");
        return new Step(Kind.LABEL, List.of(key, value == null ? "" : value), origin);
    }

    /** Docker's way of printing the step: {@code RUN sh -c 'echo hi > /hello'}. */
    public String describe() {
        List<String> shown = new ArrayList<>();
        for (String a : args) shown.add(quote(a));
        return kind.name() + (shown.isEmpty() ? "" : " " + String.join(" ", shown));
    }

    /** "step 3 (recipe.groovy:5)" or "step 3" where the origin is unknown. */
    String where(int index) { return "step " + index + (origin == null ? "" : " (" + origin + ")"); }

    private static String quote(String a) {
        if (!a.isEmpty() && a.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"$&|;<>()*?`\\".indexOf(c) >= 0)) return a;
        return "'" + a.replace("'", "'\\''") + "'";
    }

    private static String nonBlank(Kind kind, String what, String value, String example) {
        if (value == null || value.isBlank())
            throw new HutchException(kind.word() + " needs " + what + " (try: " + example + ")");
        return value;
    }
}
