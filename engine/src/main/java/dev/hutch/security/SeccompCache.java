package dev.hutch.security;

import dev.hutch.util.AtomicFiles;

import java.nio.file.Path;
import java.util.List;

/**
 * Compiled filters kept under the lib root ({@code seccomp/}), so a {@code run} does not parse
 * and compile the same profile again: a cold JVM spends tens of milliseconds interpreting the
 * JSON parser and the compiler, a cache hit costs reading one small file.
 *
 * <p>An entry holds its whole input (compiler version, architecture, kernel release,
 * capabilities and the profile's text) before the filter, and is used only if that input is
 * exactly this run's: the file name (a hash) only finds it, so a collision or a torn file just
 * means compiling again. Written with an atomic rename; a failure to write is ignored.
 */
final class SeccompCache {
    /** Bump when the compiler's output for the same input changes. */
    static final int COMPILER_VERSION = 2; // 2: sections for i386 and x32, bad arch KILL_THREAD
    private static final String END = "\nend\n";

    private final Path dir;

    SeccompCache(Path dir) { this.dir = dir; }

    static String input(String profileJson, List<String> caps, SyscallArch arch, String kernelRelease) {
        StringBuilder sb = new StringBuilder(profileJson.length() + 512);
        sb.append("hutch-seccomp ").append(COMPILER_VERSION).append(' ').append(arch.name()).append(' ')
                .append(kernelRelease).append('\n').append(String.join(",", caps)).append('\n')
                .append(profileJson.length()).append('\n').append(profileJson).append('\n');
        return sb.toString();
    }

    private Path file(String input) { return dir.resolve(Integer.toHexString(input.hashCode()) + "-" + input.length() + ".bpf"); }

    /** The filter (hex) compiled earlier from exactly this input, or null. */
    String get(String input) {
        String text;
        try {
            text = AtomicFiles.readOrNull(file(input));
        } catch (RuntimeException e) {
            return null;
        }
        if (text == null || !text.startsWith(input) || !text.endsWith(END)) return null;
        String hex = text.substring(input.length(), text.length() - END.length());
        // the helper checks the hex again when it decodes it; here only the shape
        if (hex.isEmpty() || hex.length() % 16 != 0 || hex.indexOf('\n') >= 0) return null;
        return hex;
    }

    void put(String input, String hex) {
        try {
            AtomicFiles.replace(file(input), input + hex + END);
        } catch (RuntimeException e) {
            // a cache: the next run compiles again
        }
    }
}
