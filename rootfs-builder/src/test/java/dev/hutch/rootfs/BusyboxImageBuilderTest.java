package dev.hutch.rootfs;

import dev.hutch.HutchException;
import dev.hutch.config.EngineConfig;
import dev.hutch.image.Image;
import dev.hutch.image.LocalImageStore;
import dev.hutch.testing.RequiresCommand;
import dev.hutch.testing.RequiresRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BusyboxImageBuilderTest {
    @TempDir
    Path tmp;

    private LocalImageStore store(String name) {
        return new LocalImageStore(EngineConfig.defaults().withLibRoot(tmp.resolve(name)));
    }

    @Test
    void appletLinksAreRelativeToBinBusybox() {
        assertEquals("busybox", BusyboxImageBuilder.linkTarget("bin/sh"));
        assertEquals("../bin/busybox", BusyboxImageBuilder.linkTarget("sbin/ip"));
        assertEquals("../../bin/busybox", BusyboxImageBuilder.linkTarget("usr/bin/awk"));
    }

    @Test
    @RequiresCommand("busybox")
    void staticCheckTellsStaticFromDynamic() throws Exception {
        assertNull(StaticBinaryCheck.problem(BusyboxImageBuilder.HOST_BUSYBOX));
        assertTrue(StaticBinaryCheck.problem(Path.of("/bin/ls")).contains("dynamically linked"));
        Path text = Files.writeString(tmp.resolve("script"), "#!/bin/sh\necho hi\n");
        assertTrue(StaticBinaryCheck.problem(text).contains("not an ELF"));
    }

    @Test
    void missingBusyboxSaysWhatToInstall() {
        HutchException e = assertThrows(HutchException.class,
                () -> new BusyboxImageBuilder(tmp.resolve("no-busybox")).build(store("lib"), List.of("busybox")));
        assertTrue(e.getMessage().contains("apt-get install busybox-static"), e.getMessage());
    }

    @Test
    void dynamicBusyboxIsRefused() {
        HutchException e = assertThrows(HutchException.class,
                () -> new BusyboxImageBuilder(Path.of("/bin/ls")).build(store("lib"), List.of("busybox")));
        assertTrue(e.getMessage().contains("dynamically linked"), e.getMessage());
    }

    @Test
    @RequiresCommand("busybox")
    void buildIsDeterministicAndHasTheExpectedTree() throws Exception {
        Image one = BusyboxImageBuilder.ensure(store("one"), "busybox");
        Image two = BusyboxImageBuilder.ensure(store("two"), "busybox:latest");
        assertEquals(one.id(), two.id(), "same busybox, same image id");
        assertEquals(one.layerDigests(), two.layerDigests());
        assertEquals(List.of("busybox:latest"), one.repoTags());
        assertEquals(List.of("sh"), one.config().cmd());

        Path fs = one.layerDirs().get(0);
        assertTrue(Files.isRegularFile(fs.resolve("bin/busybox")));
        assertEquals(Path.of("busybox"), Files.readSymbolicLink(fs.resolve("bin/sh")));
        assertEquals(Path.of("../../bin/busybox"), Files.readSymbolicLink(fs.resolve("usr/bin/env")));
        assertTrue(Files.readString(fs.resolve("etc/passwd")).startsWith("root:x:0:0:"));
        assertTrue(Files.readString(fs.resolve("etc/passwd")).contains("nobody:x:65534:"));
        assertTrue(Files.exists(fs.resolve("etc/group")) && Files.exists(fs.resolve("etc/hosts")));
        assertTrue(Files.notExists(fs.resolve("etc/hostname")), "the runtime provides /etc/hostname");
        assertEquals(01777, (Integer) Files.getAttribute(fs.resolve("tmp"), "unix:mode") & 07777);
        assertEquals(01777, (Integer) Files.getAttribute(fs.resolve("var/tmp"), "unix:mode") & 07777);
        for (String d : List.of("proc", "sys", "dev", "root")) assertTrue(Files.isDirectory(fs.resolve(d)), d);
    }

    @Test
    @RequiresCommand("busybox")
    void ensureIsANoOpWhenTheImageIsThere() {
        LocalImageStore s = store("lib");
        Image built = BusyboxImageBuilder.ensure(s, "busybox");
        // a source pointing at a missing binary can only succeed if it does not build
        Image again = new BusyboxImage(tmp.resolve("no-busybox")).provide("busybox", s);
        assertEquals(built.id(), again.id());
        assertNull(new BusyboxImage().provide("alpine", s), "only busybox is built in");
    }

    @Test
    @RequiresRoot
    @RequiresCommand({"busybox", "chroot"})
    void theLayerRunsAShell() throws Exception {
        Image image = BusyboxImageBuilder.ensure(store("lib"), "busybox");
        Path fs = image.layerDirs().get(0);
        Process p = new ProcessBuilder("chroot", fs.toString(), "/bin/sh", "-c", "echo hi from $(basename $(readlink /bin/sh)) && ls /usr/bin | wc -l")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("hi from busybox\n"), out);
        assertNotNull(out.lines().skip(1).findFirst().filter(n -> Integer.parseInt(n.trim()) > 50).orElse(null), out);
    }
}
