package dev.hutch.cli.service;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The service's pure parts: frames, a request's decoding, its paths, the build stamp. No root needed. */
class WireFormatTest {
    @Test
    void aRequestIsDecodedFromItsFrames() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Frame.write(b, 'T', "101");
        Frame.write(b, 'A', "run");
        Frame.write(b, 'A', "");
        Frame.write(b, 'A', "a b=c");
        Frame.write(b, 'E', "FOO=1=2");
        Frame.write(b, 'E', "FOO=shadowed");
        Frame.write(b, 'C', "/srv/here");
        Frame.write(b, 'U', "027");
        Frame.write(b, 'G', "");
        byte[] bytes = b.toByteArray();
        assertArrayEquals(new byte[] {'T', 0, 0, 0, 3, '1', '0', '1'}, java.util.Arrays.copyOf(bytes, 8), "type, 4-byte big-endian length, payload");

        Request r = Request.readAfterHello(new ByteArrayInputStream(bytes));
        assertArrayEquals(new boolean[] {true, false, true}, r.tty());
        assertEquals(List.of("run", "", "a b=c"), r.args());
        assertEquals(Map.of("FOO", "1=2"), r.env(), "the first entry wins, as getenv(3) finds it");
        assertEquals(Path.of("/srv/here"), r.cwd());
        assertEquals("027", r.umask());
        assertEquals(027, r.umaskBits());
        assertEquals(dev.hutch.cli.Invocation.OWN_UMASK, new Request(new boolean[3], List.of(), Map.of(), Path.of("/"), "9x").umaskBits());
    }

    @Test
    void aTruncatedOrForeignStreamIsRefused() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Frame.write(b, 'A', "ps");
        assertThrows(java.io.EOFException.class, () -> Request.readAfterHello(new ByteArrayInputStream(b.toByteArray())));

        ByteArrayOutputStream relative = new ByteArrayOutputStream();
        Frame.write(relative, 'C', "not/absolute");
        Frame.write(relative, 'G', "");
        assertThrows(IOException.class, () -> Request.readAfterHello(new ByteArrayInputStream(relative.toByteArray())));

        byte[] huge = {'A', (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        IOException e = assertThrows(IOException.class, () -> Frame.read(new ByteArrayInputStream(huge)));
        assertTrue(e.getMessage().contains("not the hutch protocol"), e.getMessage());
        assertNull(Frame.read(new ByteArrayInputStream(new byte[0])), "a clean end before a frame");
    }

    @Test
    void pathsFollowTheEnvironment() {
        ServicePaths d = ServicePaths.fromEnvironment(Map.of());
        assertEquals(Path.of("/var/run/hutch/engine.sock"), d.socket());
        assertEquals(Path.of("/var/run/hutch/engine.sock.pid"), d.pidFile());
        assertEquals(Path.of("/var/lib/hutch/engine.log"), d.log());
        ServicePaths roots = ServicePaths.fromEnvironment(Map.of("HUTCH_RUN_ROOT", "/r", "HUTCH_LIB_ROOT", "/l"));
        assertEquals(Path.of("/r/engine.sock"), roots.socket());
        assertEquals(Path.of("/l/engine.log"), roots.log());
        ServicePaths own = ServicePaths.fromEnvironment(Map.of("HUTCH_ENGINE_SOCKET", "/s/e.sock", "HUTCH_ENGINE_LOG", "/s/e.log", "HUTCH_RUN_ROOT", "/r"));
        assertEquals(Path.of("/s/e.sock.pid"), own.pidFile());
        assertEquals(Path.of("/s/e.log"), own.log());
    }

    @Test
    void theIdleTimeoutIsSecondsOrAClearError() {
        assertEquals(900, EngineService.idleTimeout(null).toSeconds());
        assertEquals(5, EngineService.idleTimeout(" 5 ").toSeconds());
        var e = assertThrows(dev.hutch.HutchException.class, () -> EngineService.idleTimeout("5m"));
        assertEquals("HUTCH_ENGINE_IDLE: \"5m\" is not a number of seconds (try 900)", e.getMessage());
    }

    @Test
    void theBuildStampNoticesARebuiltJar(@TempDir Path dir) throws IOException {
        Path jar = Files.writeString(dir.resolve("a.jar"), "one");
        BuildStamp stamp = BuildStamp.of(jar + java.io.File.pathSeparator + dir.resolve("missing.jar"));
        assertFalse(stamp.changed());
        Files.writeString(jar, "rebuilt");
        assertTrue(stamp.changed());
    }

    @Test
    void thePidFileRecordsPidAndStartTime(@TempDir Path dir) {
        PidFile self = PidFile.ofThisProcess();
        self.writeTo(dir.resolve("p"));
        assertEquals(self, PidFile.read(dir.resolve("p")));
        assertTrue(self.isAlive());
        assertFalse(new PidFile(self.pid(), self.startTime() + 1).isAlive(), "a reused pid (another start time) is not the service");
        new PidFile(self.pid(), self.startTime() + 1).removeIfOurs(dir.resolve("p"));
        assertTrue(Files.exists(dir.resolve("p")), "only the recorded service removes its entry");
        self.removeIfOurs(dir.resolve("p"));
        assertFalse(Files.exists(dir.resolve("p")));
    }
}
