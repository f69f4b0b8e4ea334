package dev.hutch.net.names;

import dev.hutch.net.ipam.Ipv4;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A container's {@code /etc/resolv.conf} from the host's: the same {@code search} and
 * {@code options}, and the nameservers minus loopback ones (127.0.0.53 of systemd-resolved, ::1),
 * which mean the host itself and answer nothing inside a network namespace. If no nameserver is
 * left, the file has none: hutch does not invent a public resolver (docker falls back to 8.8.8.8).
 * Pure, apart from {@link #fromHost} reading the file.
 */
public final class ResolvConf {
    private ResolvConf() {}

    public static String fromHost(Path hostResolvConf, boolean keepLoopback) {
        String text;
        try {
            text = Files.readString(hostResolvConf);
        } catch (IOException e) {
            text = "";
        }
        return keepLoopback ? text : filter(text);
    }

    public static String filter(String hostText) {
        StringBuilder sb = new StringBuilder();
        int kept = 0, dropped = 0;
        for (String raw : hostText.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("nameserver")) {
                String[] t = line.split("\\s+");
                if (t.length < 2) continue;
                if (isLoopback(t[1])) { dropped++; continue; }
                sb.append("nameserver ").append(t[1]).append('\n');
                kept++;
            } else if (line.startsWith("search") || line.startsWith("options") || line.startsWith("domain")) {
                sb.append(line).append('\n');
            }
        }
        if (kept == 0 && dropped > 0)
            sb.insert(0, "# the host's nameservers are all loopback addresses, unreachable from a container\n");
        return sb.toString();
    }

    /**
     * docker's --dns, --dns-search and --dns-option: each list given replaces the lines of its kind
     * ({@code nameserver}, {@code search}/{@code domain}, {@code options}); {@code --dns-search .}
     * means no search line at all. Lines of a kind not given stay as the host's.
     */
    public static String withOverrides(String text, java.util.List<String> dns, java.util.List<String> search,
                                       java.util.List<String> options) {
        if (dns.isEmpty() && search.isEmpty() && options.isEmpty()) return text;
        StringBuilder sb = new StringBuilder();
        for (String raw : (text == null ? "" : text).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) continue;
            if (!dns.isEmpty() && (line.startsWith("nameserver") || line.startsWith("# the host's nameservers"))) continue;
            if (!search.isEmpty() && (line.startsWith("search") || line.startsWith("domain"))) continue;
            if (!options.isEmpty() && line.startsWith("options")) continue;
            sb.append(line).append('\n');
        }
        for (String d : dns) sb.append("nameserver ").append(d).append('\n');
        java.util.List<String> domains = search.stream().filter(d -> !d.equals(".")).toList();
        if (!domains.isEmpty()) sb.append("search ").append(String.join(" ", domains)).append('\n');
        if (!options.isEmpty()) sb.append("options ").append(String.join(" ", options)).append('\n');
        return sb.toString();
    }

    private static boolean isLoopback(String ns) {
        return Ipv4.isLoopback(ns) || ns.equals("::1") || ns.equals("0:0:0:0:0:0:0:1");
    }
}
