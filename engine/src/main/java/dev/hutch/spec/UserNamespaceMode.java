package dev.hutch.spec;

/**
 * podman's {@code --userns}: {@code host} (the default: root inside is root outside, behind the
 * other walls) or {@code auto[:size=N]} (a user namespace of its own, whose uids 0..N-1 map to a
 * range of N host uids no other container holds; root inside is an unprivileged nobody outside).
 *
 * @param size the number of uids (and gids) mapped; 0 for {@code host}
 */
public record UserNamespaceMode(int size) {
    /** podman's default size for {@code auto}: every 16-bit uid an image may use. */
    public static final int DEFAULT_SIZE = 65536;
    /** A mapping smaller than this leaves out uids images use (nobody is 65534). */
    public static final int MIN_SIZE = 1024;
    /** One container never takes more than this share of hutch's subordinate range. */
    public static final int MAX_SIZE = 1 << 24;

    public static final UserNamespaceMode HOST = new UserNamespaceMode(0);

    public boolean isAuto() { return size > 0; }

    public static UserNamespaceMode parse(String text) {
        if (text == null || text.equals("host") || text.isEmpty()) {
            if (text != null && text.isEmpty())
                throw new InvalidSpecException("--userns", text, "is empty (use host or auto[:size=N])");
            return HOST;
        }
        if (text.equals("auto")) return new UserNamespaceMode(DEFAULT_SIZE);
        if (text.startsWith("auto:")) {
            String opt = text.substring(5);
            if (!opt.startsWith("size="))
                throw new InvalidSpecException("--userns", text, "has an unknown option (hutch takes auto:size=N, e.g. auto:size=65536)");
            int size;
            try {
                size = Integer.parseInt(opt.substring(5));
            } catch (NumberFormatException e) {
                throw new InvalidSpecException("--userns", text, "has a size that is not a number (try auto:size=65536)");
            }
            if (size < MIN_SIZE || size > MAX_SIZE)
                throw new InvalidSpecException("--userns", text, "has a size out of range (use " + MIN_SIZE + " to " + MAX_SIZE + ")");
            return new UserNamespaceMode(size);
        }
        throw new InvalidSpecException("--userns", text, "is not a user namespace mode hutch knows (use host or auto[:size=N])");
    }

    /** The flag's own spelling, also the JSON form. */
    @Override
    public String toString() { return isAuto() ? (size == DEFAULT_SIZE ? "auto" : "auto:size=" + size) : "host"; }
}
