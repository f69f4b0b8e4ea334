package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What runs in the container. {@code entrypoint == null} and an empty {@code command} mean "the
 * image's default", as with docker's {@code --entrypoint} and trailing arguments.
 *
 * @param env     {@code K=V} entries added to (and overriding) the image's environment
 * @param user    {@code UID[:GID]} or a name from the image's /etc/passwd; null for the image's user
 * @param workdir null for the image's working directory
 */
public record ProcessSpec(List<String> entrypoint, List<String> command, List<String> env, String workdir,
                          String user, boolean tty, boolean interactive) implements JsonWritable {

    public ProcessSpec {
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        command = List.copyOf(command == null ? List.of() : command);
        env = List.copyOf(env == null ? List.of() : env);
    }

    public static ProcessSpec of(String... command) {
        return new ProcessSpec(null, List.of(command), List.of(), null, null, false, false);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (entrypoint != null) m.put("entrypoint", entrypoint);
        m.put("command", command);
        m.put("env", env);
        if (workdir != null) m.put("workdir", workdir);
        if (user != null) m.put("user", user);
        m.put("tty", tty);
        m.put("interactive", interactive);
        return m;
    }

    public static ProcessSpec fromJson(Object json) {
        JsonReader r = JsonReader.of(json);
        return new ProcessSpec(r.has("entrypoint") ? r.strings("entrypoint") : null, r.strings("command"),
                r.strings("env"), r.string("workdir"), r.string("user"), r.bool("tty", false),
                r.bool("interactive", false));
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.entrypoint = entrypoint == null ? null : new ArrayList<>(entrypoint);
        b.command.addAll(command);
        b.env.addAll(env);
        b.workdir = workdir; b.user = user; b.tty = tty; b.interactive = interactive;
        return b;
    }

    public static Builder builder() { return new Builder(); }

    public static final class Builder {
        private List<String> entrypoint;
        private final List<String> command = new ArrayList<>();
        private final List<String> env = new ArrayList<>();
        private String workdir, user;
        private boolean tty, interactive;

        public Builder entrypoint(List<String> v) { entrypoint = v == null ? null : new ArrayList<>(v); return this; }
        public Builder command(List<String> v) { command.clear(); command.addAll(v); return this; }
        public Builder env(String keyEqualsValue) { env.add(keyEqualsValue); return this; }
        public Builder env(String key, String value) { env.add(key + "=" + value); return this; }
        public Builder workdir(String v) { workdir = v; return this; }
        public Builder user(String v) { user = v; return this; }
        public Builder tty(boolean v) { tty = v; return this; }
        public Builder interactive(boolean v) { interactive = v; return this; }

        public ProcessSpec build() { return new ProcessSpec(entrypoint, command, env, workdir, user, tty, interactive); }
    }
}
