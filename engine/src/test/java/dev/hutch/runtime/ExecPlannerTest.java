package dev.hutch.runtime;

import dev.hutch.spec.ExecSpec;
import dev.hutch.spec.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The exec file ExecPlanner writes for a command in a running container: the container's own
 * launch file (as LaunchPlanner wrote it) with the exec's choices laid over it.
 */
class ExecPlannerTest {
    @TempDir Path layer;

    static final List<Path> PROCS = List.of(Path.of("/sys/fs/cgroup/pids/hutch/c1/cgroup.procs"));

    /** The container's launch file, as LaunchPlanner wrote it, read back. */
    static Map<String, List<String>> container(String namespaces) {
        LaunchFile f = new LaunchFile();
        f.put("namespaces", namespaces);
        f.putAll("env", List.of("PATH=/usr/bin:/bin", "MODE=prod", "HOSTNAME=box"));
        f.put("cwd", "/srv");
        f.put("uid", 1000);
        f.put("gid", 100);
        f.putAll("additional_gid", List.of("10", "20"));
        f.putAll("cap", List.of("CAP_KILL", "CAP_CHOWN"));
        f.put("no_new_privs", false);
        f.put("seccomp", "20000000");
        f.putAll("arg", List.of("httpd", "-f"));
        return LaunchFile.parse(f.render());
    }

    static Map<String, List<String>> plan(Map<String, List<String>> launch, ExecSpec exec, UserResolver users) {
        return LaunchFile.parse(ExecPlanner.plan(4242, launch, exec, PROCS, users).render());
    }

    @Test
    void aPlainExecSeesWhatTheContainersCommandSaw() {
        Map<String, List<String>> f = plan(container("pid,mnt,uts,ipc,net,cgroup"), ExecSpec.of("ps", "-o", "pid"), null);
        assertEquals(List.of("4242"), f.get("pid"));
        assertEquals(List.of("ipc,uts,net,pid,cgroup,mnt"), f.get("namespaces"), "mnt last: the helper needs the host's paths until then");
        assertEquals(List.of(PROCS.get(0).toString()), f.get("cgroup_procs"));
        assertEquals(List.of("0"), f.get("tty"));
        assertEquals(List.of("0"), f.get("stdin"));
        assertEquals(List.of("PATH=/usr/bin:/bin", "MODE=prod", "HOSTNAME=box"), f.get("env"));
        assertEquals(List.of("/srv"), f.get("cwd"));
        assertEquals(List.of("1000"), f.get("uid"));
        assertEquals(List.of("100"), f.get("gid"));
        assertEquals(List.of("10", "20"), f.get("additional_gid"));
        assertEquals(List.of("CAP_KILL", "CAP_CHOWN"), f.get("cap"));
        assertEquals(List.of("0"), f.get("no_new_privs"));
        assertEquals(List.of("20000000"), f.get("seccomp"), "docker's exec gets the container's filter");
        assertEquals(List.of("ps", "-o", "pid"), f.get("arg"));
    }

    @Test
    void theExecsEnvWorkdirAndTtyAreLaidOver() {
        ExecSpec exec = new ExecSpec(List.of("sh"), List.of("MODE=debug", "EXTRA=a=b"), "/tmp", null, true, true);
        Map<String, List<String>> f = plan(container("pid,mnt,uts,ipc,net,cgroup"), exec, null);
        assertEquals(List.of("PATH=/usr/bin:/bin", "MODE=debug", "HOSTNAME=box", "EXTRA=a=b", "TERM=xterm"), f.get("env"),
                "the exec's value wins in place; new keys after; TERM for a tty");
        assertEquals(List.of("/tmp"), f.get("cwd"));
        assertEquals(List.of("1"), f.get("tty"));
        assertEquals(List.of("1"), f.get("stdin"));
    }

    @Test
    void aTermGivenByTheExecIsKept() {
        ExecSpec exec = new ExecSpec(List.of("sh"), List.of("TERM=vt100"), null, null, true, false);
        Map<String, List<String>> f = plan(container("pid,mnt,uts,ipc,net,cgroup"), exec, null);
        assertTrue(f.get("env").contains("TERM=vt100") && !f.get("env").contains("TERM=xterm"), f.get("env").toString());
    }

    @Test
    void aHostNetworkContainerIsExecutedInTheHostsNetwork() {
        Map<String, List<String>> f = plan(container("pid,mnt,uts,ipc,cgroup"), ExecSpec.of("true"), null);
        assertEquals(List.of("ipc,uts,pid,cgroup,mnt"), f.get("namespaces"));
    }

    @Test
    void execUserIsLookedUpInTheContainersLayers() throws IOException {
        Files.createDirectories(layer.resolve("etc"));
        Files.writeString(layer.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:33:www:/var/www:/bin/sh\n");
        Files.writeString(layer.resolve("etc/group"), "root:x:0:\nwww:x:33:\nlogs:x:44:www\n");
        UserResolver users = new UserResolver(List.of(layer));
        ExecSpec exec = new ExecSpec(List.of("id"), List.of(), null, "www", false, false);
        Map<String, List<String>> f = plan(container("pid,mnt,uts,ipc,net,cgroup"), exec, users);
        assertEquals(List.of("33"), f.get("uid"));
        assertEquals(List.of("33"), f.get("gid"));
        assertEquals(List.of("44"), f.get("additional_gid"), "the user's groups, not the container's");
        ExecSpec nobody = new ExecSpec(List.of("id"), List.of(), null, "nobody", false, false);
        assertThrows(InvalidSpecException.class, () -> plan(container("pid,mnt,uts,ipc,net,cgroup"), nobody, users));
    }

    @Test
    void aLaunchFileWithoutProcessKeysGetsDockersDefaults() {
        Map<String, List<String>> launch = LaunchFile.parse(new LaunchFile().put("namespaces", "pid,mnt,uts,ipc,net,cgroup").render());
        Map<String, List<String>> f = plan(launch, ExecSpec.of("true"), null);
        assertEquals(List.of("/"), f.get("cwd"));
        assertEquals(List.of("0"), f.get("uid"));
        assertEquals(List.of("0"), f.get("gid"));
        assertNull(f.get("additional_gid"));
        assertEquals(DockerDefaults.CAPABILITIES, f.get("cap"));
        assertEquals(List.of("1"), f.get("no_new_privs"));
        assertNull(f.get("seccomp"), "no filter recorded: unconfined");
    }
}
