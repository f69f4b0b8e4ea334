package dev.hutch.net;

import dev.hutch.config.EngineConfig;
import dev.hutch.net.nat.Iptables;
import dev.hutch.net.nat.NatRules;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.sys.Syscalls;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What hutch's networking left on the host, for the test suite's final check and for
 * {@code hutch system check}: links named {@code hutch*} or {@code hv*}, netns files
 * {@code hutch-*}, iptables and ip6tables rules or chains that mention hutch, and lease files.
 */
public final class NetworkLeaks {
    private NetworkLeaks() {}

    /** Every leftover, one line each; empty when clean. */
    public static List<String> find(EngineConfig config) {
        List<String> out = new ArrayList<>();
        out.addAll(links(Syscalls.jna()));
        out.addAll(netnsFiles(config.netnsDir()));
        out.addAll(new NatRules(new Iptables(), NatRules.hostLockFile(config.networksDir())).leftovers()
                .stream().map(r -> "iptables " + r).toList());
        out.addAll(ip6tablesLeftovers(config));
        out.addAll(leaseFiles(config.networksDir()));
        return out;
    }

    /**
     * The same for ip6tables, where dual-stack networks keep their rules. A host whose ip6tables
     * cannot run (not installed, IPv6 off in the kernel) cannot hold any: nothing to report.
     */
    static List<String> ip6tablesLeftovers(EngineConfig config) {
        try {
            return new NatRules(new Iptables().forIpv6(), NatRules.hostLockFile(config.networksDir())).leftovers()
                    .stream().map(r -> "ip6tables " + r).toList();
        } catch (dev.hutch.HutchException e) {
            return List.of();
        }
    }

    /** Host links whose names say hutch made them. */
    public static List<String> links(Syscalls sys) {
        List<String> out = new ArrayList<>();
        try (RouteNetlink nl = new RouteNetlink(sys)) {
            for (LinkInfo l : nl.links()) {
                if (l.name().startsWith("hutch") || l.name().startsWith("hv")) out.add("link " + l.name() + " (" + l.kind() + ")");
            }
        }
        return out;
    }

    public static List<String> netnsFiles(Path netnsDir) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(netnsDir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(netnsDir, "hutch-*")) {
            for (Path p : ds) out.add("netns file " + p);
        } catch (IOException e) {
            out.add("cannot list " + netnsDir + ": " + e.getMessage());
        }
        return out;
    }

    public static List<String> leaseFiles(Path networksDir) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(networksDir)) return out;
        try (DirectoryStream<Path> nets = Files.newDirectoryStream(networksDir)) {
            for (Path net : nets) {
                for (String dir : List.of("leases", "leases6")) { // leases6: the addresses asked for with --ip6
                    Path leases = net.resolve(dir);
                    if (!Files.isDirectory(leases)) continue;
                    try (DirectoryStream<Path> ds = Files.newDirectoryStream(leases)) {
                        for (Path p : ds) out.add("lease " + p);
                    }
                }
            }
        } catch (IOException e) {
            out.add("cannot list " + networksDir + ": " + e.getMessage());
        }
        return out;
    }
}
