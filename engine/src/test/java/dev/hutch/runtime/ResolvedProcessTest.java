package dev.hutch.runtime;

import dev.hutch.HutchException;
import dev.hutch.image.ImageConfig;
import dev.hutch.spec.ProcessSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ResolvedProcessTest {
    private final ImageConfig image = new ImageConfig(List.of("PATH=/bin", "A=image"), List.of("/entry"),
            List.of("default-cmd"), "/srv", "nobody", List.of(), Map.of());

    @Test
    void argumentsReplaceTheImageCmdButKeepItsEntrypoint() {
        ResolvedProcess p = ResolvedProcess.resolve(ProcessSpec.of("echo", "hi"), image, "box");
        assertEquals(List.of("/entry", "echo", "hi"), p.argv());
        assertEquals("/srv", p.cwd());
        assertEquals("nobody", p.user());
    }

    @Test
    void anExplicitEntrypointDropsTheImageCmd() {
        ProcessSpec spec = ProcessSpec.builder().entrypoint(List.of("/bin/sh")).build();
        assertEquals(List.of("/bin/sh"), ResolvedProcess.resolve(spec, image, "box").argv());
    }

    @Test
    void specEnvOverridesImageEnvAndHostnameIsSet() {
        ProcessSpec spec = ProcessSpec.builder().env("A", "spec").command(List.of("x")).tty(true).build();
        List<String> env = ResolvedProcess.resolve(spec, image, "box").env();
        assertTrue(env.contains("A=spec") && !env.contains("A=image"), env.toString());
        assertTrue(env.contains("HOSTNAME=box") && env.contains("TERM=xterm") && env.contains("PATH=/bin"), env.toString());
    }

    @Test
    void noCommandAtAllIsAClearError() {
        ImageConfig bare = new ImageConfig(List.of(), null, List.of(), null, null, List.of(), Map.of());
        HutchException e = assertThrows(HutchException.class, () -> ResolvedProcess.resolve(ProcessSpec.of(), bare, "b"));
        assertTrue(e.getMessage().startsWith("no command specified"));
    }

    @Test
    void usersResolveThroughTheImagesPasswdAndGroupFiles(@TempDir Path layer) throws Exception {
        Files.createDirectories(layer.resolve("etc"));
        Files.writeString(layer.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33::/var/www:/bin/sh\n");
        Files.writeString(layer.resolve("etc/group"), "root:x:0:\nwww:x:33:\nlogs:x:4:www\n");
        UserResolver r = new UserResolver(List.of(layer));
        assertEquals(new UserResolver.Ids(33, 33, List.of(4L)), r.resolve("www"));
        assertEquals(new UserResolver.Ids(1000, 1000, List.of()), r.resolve("1000:1000"));
        assertEquals(new UserResolver.Ids(0, 33, List.of()), r.resolve("root:www"));
        assertThrows(dev.hutch.spec.InvalidSpecException.class, () -> r.resolve("nobody-here"));
    }
}
