package dev.hutch.runtime;

import dev.hutch.HutchException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Finds the native helper: the system property {@code hutch.helper} or the caller's environment variable
 * {@code HUTCH_HELPER} (the ./hutch launcher sets it to the freshly built binary), else the copy
 * shipped in the jar, extracted once to {@code <libRoot>/bin/hutch-helper-<sha>} (a name per
 * content, so an upgraded jar never runs a stale helper).
 */
public final class HelperBinary {
    static final String RESOURCE = "/dev/hutch/native/hutch-helper";

    private HelperBinary() {}

    /** @param caller whose HUTCH_HELPER counts (the JVM's system property hutch.helper wins over it) */
    public static Path locate(Path libRoot, dev.hutch.config.CallerEnvironment caller) {
        String explicit = System.getProperty("hutch.helper", caller.get("HUTCH_HELPER"));
        if (explicit != null && !explicit.isEmpty()) {
            Path p = Path.of(explicit);
            if (!Files.isExecutable(p))
                throw new HutchException("the native helper " + p + " (from hutch.helper/HUTCH_HELPER) is not an executable file; rebuild with ./hutch --rebuild or unset it");
            return p;
        }
        return extract(libRoot);
    }

    private static Path extract(Path libRoot) {
        java.net.URL url = HelperBinary.class.getResource(RESOURCE);
        if (url == null)
            throw new HutchException("the native helper is missing from the build (no " + RESOURCE + "); run `mvn install` (it needs a C compiler: apt-get install gcc make)");
        try {
            // The jar entry's CRC and size name the copy: known without reading the entry, so an
            // unchanged helper costs one stat per run, not a hash of a megabyte.
            String tag;
            java.net.URLConnection c = url.openConnection();
            if (c instanceof java.net.JarURLConnection jar) {
                java.util.jar.JarEntry e = jar.getJarEntry();
                tag = Long.toHexString(e.getCrc()) + "-" + e.getSize();
            } else {
                tag = dev.hutch.util.Sha256.hex(Files.readAllBytes(Path.of(url.toURI()))).substring(0, 16);
            }
            Path target = libRoot.resolve("bin").resolve("hutch-helper-" + tag);
            if (Files.isExecutable(target)) return target;
            byte[] bytes;
            try (InputStream in = url.openStream()) {
                bytes = in.readAllBytes();
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".hutch-helper", ".tmp");
            Files.write(tmp, bytes);
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r-xr-xr-x"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException | java.net.URISyntaxException e) {
            throw new HutchException("cannot install the native helper under " + libRoot + "/bin: " + e.getMessage(), e);
        }
    }
}
