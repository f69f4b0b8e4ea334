package dev.hutch.spec;

/**
 * docker's {@code --ulimit NAME=SOFT[:HARD]} (go-units' syntax): one value sets both limits, -1 is
 * unlimited. Checks of the name and the order are {@link KernelOptionsValidator}'s, so the DSL's
 * map form gets the same ones.
 */
public final class UlimitText {
    private UlimitText() {}

    public static KernelOptions.Ulimit parse(String text) {
        int eq = text == null ? -1 : text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1)
            throw new InvalidSpecException("--ulimit", text, "is not NAME=SOFT[:HARD] (try nofile=1024:2048)");
        String name = text.substring(0, eq), limits = text.substring(eq + 1);
        String[] parts = limits.split(":", -1);
        if (parts.length > 2)
            throw new InvalidSpecException("--ulimit", text, "has more than two values (use NAME=SOFT[:HARD])");
        long soft = value(text, parts[0]);
        long hard = parts.length == 2 ? value(text, parts[1]) : soft;
        return new KernelOptions.Ulimit(name, soft, hard);
    }

    private static long value(String text, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException("--ulimit", text, "has \"" + v + "\", which is not a whole number (-1 for unlimited)");
        }
    }
}
