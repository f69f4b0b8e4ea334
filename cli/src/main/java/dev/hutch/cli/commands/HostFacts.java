package dev.hutch.cli.commands;

import dev.hutch.cli.Context;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What `version` and `info` say about the machine: kernel, OS, architecture, memory; read from /proc and /etc. */
final class HostFacts {
    private HostFacts() {}

    static String kernel(Context ctx) {
        return read(ctx.engine().config().procRoot().resolve("sys/kernel/osrelease"), System.getProperty("os.version"));
    }

    /** docker's GOARCH spelling (amd64, arm64) of the JVM's os.arch. */
    static String arch() {
        String a = System.getProperty("os.arch");
        return switch (a) { case "x86_64" -> "amd64"; case "aarch64" -> "arm64"; default -> a; };
    }

    static String operatingSystem() {
        String text = read(Path.of("/etc/os-release"), "");
        for (String line : text.split("\n"))
            if (line.startsWith("PRETTY_NAME=")) return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        return "Linux";
    }

    /** MemTotal of /proc/meminfo in bytes; -1 if unknown. */
    static long totalMemory(Context ctx) {
        for (String line : read(ctx.engine().config().procRoot().resolve("meminfo"), "").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.substring("MemTotal:".length()).trim().split("\\s+");
                return Long.parseLong(f[0]) * 1024;
            }
        }
        return -1;
    }

    static String read(Path p, String dflt) {
        try {
            return Files.readString(p).trim();
        } catch (IOException | RuntimeException e) {
            return dflt;
        }
    }
}
