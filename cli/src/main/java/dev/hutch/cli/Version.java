package dev.hutch.cli;

/** The version from the jar's manifest, or "dev" when running from classes. */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
