package dev.hutch.cli.oci;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * runc's {@code --log} and {@code --log-format}: one line per message, appended. containerd's
 * shim reads the last {@code "level":"error"} line of the json form for the reason a command
 * failed; conmon reads stderr. Without {@code --log} messages go to stderr only.
 */
final class OciLog {
    private final Path file;
    private final boolean json;
    private final boolean debug;
    private final PrintStream stderr;

    OciLog(Path file, boolean json, boolean debug, PrintStream stderr) {
        this.file = file;
        this.json = json;
        this.debug = debug;
        this.stderr = stderr;
    }

    void error(String msg) {
        write("error", msg);
        stderr.println(msg);
    }

    void warn(String msg) { write("warning", msg); }

    void debug(String msg) { if (debug) write("debug", msg); }

    private void write(String level, String msg) {
        if (file == null) {
            if (!level.equals("error")) stderr.println(level + ": " + msg);
            return;
        }
        String time = Instant.now().toString();
        StringBuilder line = new StringBuilder();
        if (json) {
            line.append("{\"level\":");
            dev.hutch.json.Json.quote(line, level);
            line.append(",\"msg\":");
            dev.hutch.json.Json.quote(line, msg);
            line.append(",\"time\":");
            dev.hutch.json.Json.quote(line, time);
            line.append("}\n");
        } else {
            line.append("time=\"").append(time).append("\" level=").append(level).append(" msg=");
            dev.hutch.json.Json.quote(line, msg);
            line.append('\n');
        }
        try {
            Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            stderr.println("hutch oci: cannot write log " + file + ": " + e.getMessage());
        }
    }
}
