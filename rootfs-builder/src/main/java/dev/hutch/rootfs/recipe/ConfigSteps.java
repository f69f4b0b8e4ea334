package dev.hutch.rootfs.recipe;

import dev.hutch.image.ImageConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config-only steps (env, workdir, user, cmd, entrypoint, label) as pure functions of the
 * image config, following the Dockerfile: a relative workdir is under the previous one, and an
 * entrypoint clears a cmd inherited from the base image (set cmd after it to keep one).
 */
public final class ConfigSteps {
    private ConfigSteps() {}

    /**
     * @param cmdSetInRecipe whether an earlier step of this recipe set cmd (then entrypoint keeps it)
     */
    public static ImageConfig apply(ImageConfig c, Step step, boolean cmdSetInRecipe) {
        List<String> a = step.args();
        // StopSignal and HEALTHCHECK come from the base image and stay (no step changes them yet)
        return changed(c, step, a, cmdSetInRecipe).carrying(c);
    }

    private static ImageConfig changed(ImageConfig c, Step step, List<String> a, boolean cmdSetInRecipe) {
        return switch (step.kind()) {
            case ENV -> new ImageConfig(withEnv(c.env(), a.get(0), a.get(1)), c.entrypoint(), c.cmd(), c.workdir(), c.user(), c.exposedPorts(), c.labels());
            case WORKDIR -> new ImageConfig(c.env(), c.entrypoint(), c.cmd(), workdir(c.workdir(), a.get(0)), c.user(), c.exposedPorts(), c.labels());
            case USER -> new ImageConfig(c.env(), c.entrypoint(), c.cmd(), c.workdir(), a.get(0), c.exposedPorts(), c.labels());
            case CMD -> new ImageConfig(c.env(), c.entrypoint(), a, c.workdir(), c.user(), c.exposedPorts(), c.labels());
            case ENTRYPOINT -> new ImageConfig(c.env(), a.isEmpty() ? null : a, cmdSetInRecipe ? c.cmd() : List.of(),
                    c.workdir(), c.user(), c.exposedPorts(), c.labels());
            case LABEL -> {
                Map<String, String> labels = new LinkedHashMap<>(c.labels());
                labels.put(a.get(0), a.get(1));
                yield new ImageConfig(c.env(), c.entrypoint(), c.cmd(), c.workdir(), c.user(), c.exposedPorts(), labels);
            }
            default -> throw new IllegalArgumentException(step.kind() + " is not a config-only step");
        };
    }

    /** The env list with {@code key} set, in place if it was there (so PATH stays first). */
    static List<String> withEnv(List<String> env, String key, String value) {
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        for (String e : env.isEmpty() ? ImageConfig.DEFAULT_ENV : env) {
            if (e.startsWith(key + "=")) {
                out.add(key + "=" + value);
                replaced = true;
            } else {
                out.add(e);
            }
        }
        if (!replaced) out.add(key + "=" + value);
        return out;
    }

    static String workdir(String current, String dir) {
        String base = current == null || current.isEmpty() ? "/" : current;
        return "/" + ContextCopy.destination(dir, base);
    }
}
