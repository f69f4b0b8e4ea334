package dev.hutch.cli;

/** The version from the jar's manifest, or "dev" when running from classes. */
final class Version {
    private Version() {}

    static String get() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
