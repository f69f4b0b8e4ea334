package dev.hutch.util;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelModulesTest {

    @Test
    void aModuleIsListedByItsFileNameWhateverItsCompression(@TempDir Path dir) throws Exception {
        Path dep = dir.resolve("modules.dep");
        Files.writeString(dep, """
                kernel/fs/overlayfs/overlay.ko.xz:
                kernel/drivers/net/veth.ko.zst:
                kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko
                kernel/fs/overlayfs-extra/overlay2.ko:
                """);
        assertTrue(KernelModules.listed(dep, "overlay"));
        assertTrue(KernelModules.listed(dep, "veth"));
        assertTrue(KernelModules.listed(dep, "bridge"));
        assertFalse(KernelModules.listed(dep, "stp"), "a dependency named after the colon is not a listing of its own");
        assertFalse(KernelModules.listed(dep, "aufs"));
        assertFalse(KernelModules.listed(dep, "overlay2x"));
        assertFalse(KernelModules.listed(dir.resolve("missing"), "overlay"));
    }
}
