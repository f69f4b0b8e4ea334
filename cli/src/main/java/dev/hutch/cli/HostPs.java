package dev.hutch.cli;

import dev.hutch.HutchException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * docker top, as dockerd does it: the host's {@code ps} with the caller's options (default
 * {@code -ef}), keeping the header and the rows whose PID column holds one of the container's pids
 * (those in its cgroup). The CLI's {@code top} and the API's {@code /top} both print this.
 */
public final class HostPs {
    /** The header's titles and each kept row, split into as many fields as there are titles. */
    public record Listing(List<String> titles, List<List<String>> processes) {}

    private HostPs() {}

    /** Failures are docker's: exit 1 with its message. */
    public static Listing of(Iterable<Long> containerPids, List<String> psOptions) {
        Set<String> pids = new HashSet<>();
        for (Long p : containerPids) pids.add(Long.toString(p));
        List<String> argv = new ArrayList<>(List.of("ps"));
        argv.addAll(psOptions.isEmpty() ? List.of("-ef") : psOptions);
        List<String> lines = run(argv).lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) throw new HutchException(1, "ps printed nothing (ps " + String.join(" ", psOptions) + ")", null);
        List<String> titles = Arrays.asList(lines.get(0).trim().split("\\s+"));
        int pidColumn = titles.indexOf("PID");
        if (pidColumn < 0) throw new HutchException(1, "Couldn't find PID field in ps output", null);
        List<List<String>> processes = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+", titles.size());
            if (fields.length > pidColumn && pids.contains(fields[pidColumn])) processes.add(Arrays.asList(fields));
        }
        return new Listing(titles, processes);
    }

    private static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HutchException(1, "ps did not end in 30 s", null);
            }
            if (p.exitValue() != 0) throw new HutchException(1, "ps failed: " + out.strip(), null);
            return out;
        } catch (IOException e) {
            throw new HutchException(1, "cannot run ps: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException(1, "interrupted while ps ran", e);
        }
    }
}
