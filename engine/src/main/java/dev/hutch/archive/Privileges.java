package dev.hutch.archive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this process may chown, mknod and set trusted.* xattrs. */
public final class Privileges {
    private Privileges() {}

    public static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
