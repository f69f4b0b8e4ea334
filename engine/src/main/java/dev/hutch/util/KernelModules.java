package dev.hutch.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Loads a file system's kernel module when the kernel has it as a module that is not loaded yet.
 *
 * <p>On most distribution kernels (Debian, Ubuntu, Fedora) overlay is a module: until something
 * mounts an overlay, {@code /proc/filesystems} does not list it, and a driver choice made from that
 * file alone falls back to full copies. docker runs {@code modprobe overlay} before it looks; so does
 * hutch, but only when the module is really there ({@code modules.dep} names it), so a kernel
 * without it costs no process.
 */
public final class KernelModules {
    private KernelModules() {}

    /** True when {@code module} was loaded now (or already was) by modprobe. */
    public static boolean load(String module) {
        Path modules = Path.of("/lib/modules", System.getProperty("os.version"));
        if (!listed(modules.resolve("modules.dep"), module)) return false;
        Path modprobe = modprobe();
        if (modprobe == null) return false;
        try {
            Process p = new ProcessBuilder(modprobe.toString(), "-q", module)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** modules.dep lines start "kernel/fs/overlayfs/overlay.ko[.xz|.zst]: deps". */
    static boolean listed(Path modulesDep, String module) {
        String name = "/" + module + ".ko";
        try (var lines = Files.lines(modulesDep)) {
            return lines.anyMatch(l -> {
                int colon = l.indexOf(':');
                String path = colon < 0 ? l : l.substring(0, colon);
                int at = path.lastIndexOf(name);
                return at >= 0 && (path.length() == at + name.length() || path.charAt(at + name.length()) == '.');
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** The kernel's own modprobe path if it is executable, else the usual places. */
    private static Path modprobe() {
        try {
            Path p = Path.of(Files.readString(Path.of("/proc/sys/kernel/modprobe")).trim());
            if (Files.isExecutable(p)) return p;
        } catch (IOException | RuntimeException ignored) {
            // fall through to the usual places
        }
        for (String s : new String[] {"/usr/sbin/modprobe", "/sbin/modprobe"}) {
            if (Files.isExecutable(Path.of(s))) return Path.of(s);
        }
        return null;
    }
}
