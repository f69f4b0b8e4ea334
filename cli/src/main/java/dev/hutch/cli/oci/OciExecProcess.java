package dev.hutch.cli.oci;

import dev.hutch.HutchException;
import dev.hutch.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code exec ID COMMAND...} without {@code --process}: the process.json runc would make from the
 * flags (--env, --cwd, --user UID[:GID], --tty). Written next to the container's state and removed
 * when the JVM exits.
 */
final class OciExecProcess {
    private OciExecProcess() {}

    static Path write(Path containerDir, OciArgs a) throws IOException {
        List<String> pos = a.positional();
        if (pos.size() < 2) throw new HutchException("exec: give --process FILE or a command after the container id");
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("terminal", a.has("tty"));
        Map<String, Object> user = new LinkedHashMap<>();
        String u = a.get("user");
        if (u != null) {
            String[] parts = u.split(":", 2);
            try {
                user.put("uid", Long.parseLong(parts[0]));
                user.put("gid", parts.length > 1 ? Long.parseLong(parts[1]) : 0L);
            } catch (NumberFormatException e) {
                throw new HutchException("--user " + u + " must be UID[:GID] in numbers");
            }
        }
        p.put("user", user);
        p.put("args", pos.subList(1, pos.size()));
        List<String> env = new java.util.ArrayList<>(List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        env.addAll(a.all("env"));
        p.put("env", env);
        p.put("cwd", a.get("cwd") == null ? "/" : a.get("cwd"));
        if (a.has("no-new-privs")) p.put("noNewPrivileges", true);
        if (!Files.isDirectory(containerDir)) throw new dev.hutch.oci.OciNotFoundException(containerDir.getFileName().toString());
        Path f = Files.createTempFile(containerDir, "process-", ".json");
        f.toFile().deleteOnExit();
        Files.writeString(f, Json.write(p));
        return f;
    }
}
