package dev.hutch.cli;

import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** docker's --env-file: KEY=VALUE lines, '#' comments, a bare KEY copies the caller's variable. */
final class EnvFile {
    private EnvFile() {}

    static List<String> read(Context ctx, String file) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(ctx.path(file))) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                if (l.contains("=")) out.add(l);
                else if (ctx.env().get(l) != null) out.add(l + "=" + ctx.env().get(l));
            }
        } catch (IOException e) {
            throw new InvalidSpecException("--env-file", file, "cannot be read: " + e.getMessage());
        }
        return out;
    }
}
