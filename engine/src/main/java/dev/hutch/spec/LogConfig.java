package dev.hutch.spec;

import dev.hutch.json.JsonReader;
import dev.hutch.json.JsonWritable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much log a container may keep: docker's {@code --log-opt max-size=SIZE max-file=N}. The
 * monitor rotates the log past maxSize, keeping maxFiles files (the current one included).
 * The default caps a chatty container at 100 MB (20m x 5, the defaults of docker's "local" log
 * driver); docker's json-file has no cap, which let one container write 7 GB (issue 11).
 *
 * @param maxSize  bytes per file before rotation; 0 for no limit (max-size=-1)
 * @param maxFiles files kept, 1 to 100
 */
public record LogConfig(long maxSize, int maxFiles) implements JsonWritable {
    public static final LogConfig DEFAULT = new LogConfig(20L * 1024 * 1024, 5);

    public LogConfig {
        if (maxSize < 0) throw new InvalidSpecException("--log-opt max-size", maxSize, "must not be negative");
        if (maxFiles < 1 || maxFiles > 100) throw new InvalidSpecException("--log-opt max-file", maxFiles, "must be 1 to 100");
    }

    /** From docker's {@code --log-opt KEY=VALUE} list; keys not given keep the default. */
    public static LogConfig parse(List<String> opts) {
        long size = DEFAULT.maxSize;
        int files = DEFAULT.maxFiles;
        for (String o : opts) {
            int eq = o.indexOf('=');
            String k = eq < 0 ? o : o.substring(0, eq), v = eq < 0 ? "" : o.substring(eq + 1);
            switch (k) {
                case "max-size" -> size = v.equals("-1") ? 0 : ByteSize.parse("--log-opt max-size", v);
                case "max-file" -> {
                    try {
                        files = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        throw new InvalidSpecException("--log-opt max-file", v, "is not a number (try 3)");
                    }
                }
                default -> throw new InvalidSpecException("--log-opt", o, "is not a known log option (try max-size=10m or max-file=3)");
            }
        }
        return new LogConfig(size, files);
    }

    @Override
    public Object toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxSize", maxSize);
        m.put("maxFiles", maxFiles);
        return m;
    }

    public static LogConfig fromJson(Object json) {
        if (json == null) return DEFAULT;
        JsonReader r = JsonReader.of(json);
        return new LogConfig(r.number("maxSize", DEFAULT.maxSize), (int) r.number("maxFiles", DEFAULT.maxFiles));
    }
}
