package dev.hutch.registry;

import dev.hutch.HutchException;
import dev.hutch.image.ImageDocument;
import dev.hutch.util.AtomicFiles;

import java.nio.file.Path;

/**
 * os/architecture[/variant] as image indexes list them and {@code --platform} names them
 * ({@code linux/amd64}, {@code linux/arm64/v8}, {@code linux/arm/v7}). The default is the host's,
 * as docker's: arm64 is v8, 32-bit arm reads its variant from /proc/cpuinfo.
 */
public record Platform(String os, String architecture, String variant) {

    public static Platform parse(String text) {
        String[] p = text.trim().toLowerCase().split("/");
        if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty())
            throw new HutchException("--platform: \"" + text + "\" is not os/arch[/variant] (e.g. linux/amd64, linux/arm64/v8)");
        return normalized(p[0], p[1], p.length == 3 ? p[2] : null);
    }

    public static Platform host() {
        String arch = ImageDocument.hostArchitecture();
        String variant = switch (arch) {
            case "arm64" -> "v8";
            case "arm" -> armVariant();
            default -> null;
        };
        return normalized("linux", arch, variant);
    }

    /** docker's aliases: x86_64 is amd64, aarch64 is arm64 (whose only variant is v8). */
    static Platform normalized(String os, String arch, String variant) {
        String a = switch (arch) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "i386", "i686" -> "386";
            default -> arch;
        };
        String v = variant == null || variant.isEmpty() ? null : variant;
        if (a.equals("arm64") && v == null) v = "v8";
        return new Platform(os, a, v);
    }

    /**
     * Whether an index entry for {@code other} runs here: same os and architecture, and the
     * variant equal when both say one (an entry without variant fits any).
     */
    public boolean accepts(Platform other) {
        if (!os.equals(other.os) || !architecture.equals(other.architecture)) return false;
        return variant == null || other.variant == null || variant.equals(other.variant);
    }

    private static String armVariant() {
        String cpuinfo = AtomicFiles.readOrNull(Path.of("/proc/cpuinfo"));
        if (cpuinfo != null) {
            for (String line : cpuinfo.split("\n")) {
                if (line.startsWith("CPU architecture")) return "v" + line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "v7";
    }

    @Override
    public String toString() { return os + "/" + architecture + (variant == null ? "" : "/" + variant); }
}
