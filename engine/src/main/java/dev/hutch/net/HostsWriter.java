package dev.hutch.net;

import dev.hutch.config.EngineConfig;
import dev.hutch.util.FileLock;
import dev.hutch.net.ipam.Lease;
import dev.hutch.net.names.HostsFile;
import dev.hutch.net.store.NetworkConfig;
import dev.hutch.net.store.NetworkStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps the hosts files of user networks' members current. Each container's file is
 * {@code <libRoot>/containers/<id>/hosts}, bind-mounted as its {@code /etc/hosts}; it is rewritten
 * in place (truncate and write, never rename), because the bind mount pins the inode.
 *
 * <p>Cost: reads the leases of the user networks once, writes one file per member of the networks
 * that changed. The default network has no name resolution (as with docker), so its containers,
 * however many, are never read or written here.
 */
final class HostsWriter {
    private final EngineConfig config;
    private final NetworkStore store;

    HostsWriter(EngineConfig config, NetworkStore store) {
        this.config = config;
        this.store = store;
    }

    Path hostsPath(String containerId) { return config.containerDataDir(containerId).resolve("hosts"); }

    /** The live members of every user network, by network name. */
    Map<String, List<Lease>> userNetworkMembers() {
        Map<String, List<Lease>> out = new LinkedHashMap<>();
        for (NetworkConfig n : store.list()) {
            if (n.userDefined()) out.put(n.name(), store.leases(n).liveLeases());
        }
        return out;
    }

    /** The other containers a container sees: every member of each user network it is on, by both families. */
    static List<HostsFile.Entry> peersOf(String containerId, Map<String, List<Lease>> members) {
        List<HostsFile.Entry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (List<Lease> leases : members.values()) {
            if (leases.stream().noneMatch(l -> l.containerId().equals(containerId))) continue;
            for (Lease l : leases) {
                if (l.containerId().equals(containerId) || !seen.add(l.ip())) continue;
                List<String> names = new ArrayList<>(HostsFile.names(l.name(), l.hostname()));
                for (String a : l.aliases()) if (!names.contains(a)) names.add(a);
                out.add(new HostsFile.Entry(l.ip(), names));
                if (l.ip6() != null) out.add(new HostsFile.Entry(l.ip6(), names)); // dual stack: AAAA as well as A
            }
        }
        return out;
    }

    /** Rewrites the peers' part of the hosts file of every member of these networks. */
    void refresh(Collection<String> networks) {
        if (networks.isEmpty()) return;
        FileLock.run(config.networksDir().resolve(".hosts.lock"), () -> {
            Map<String, List<Lease>> members = userNetworkMembers();
            Set<String> affected = new LinkedHashSet<>();
            for (String n : networks) {
                for (Lease l : members.getOrDefault(n, List.of())) affected.add(l.containerId());
            }
            for (String id : affected) rewritePeers(id, peersOf(id, members));
        });
    }

    /** Writes a whole hosts file in place (creating it if missing). */
    void write(String containerId, String content) {
        Path p = hostsPath(containerId);
        String current = null;
        try {
            current = Files.readString(p);
        } catch (IOException e) {
            // not written yet
        }
        // connect/disconnect re-render the container's own part: its --add-host lines stay
        writeInPlace(p, HostsFile.withExtraHosts(content, HostsFile.extraHostsOf(current)), true);
    }

    private void rewritePeers(String containerId, List<HostsFile.Entry> peers) {
        Path p = hostsPath(containerId);
        String current;
        try {
            current = Files.readString(p);
        } catch (NoSuchFileException e) {
            return; // container being removed, or not started yet: its own prepare writes it whole
        } catch (IOException e) {
            return;
        }
        String next = HostsFile.withPeers(current, peers);
        if (!next.equals(current)) writeInPlace(p, next, false);
    }

    private static void writeInPlace(Path p, String content, boolean create) {
        try {
            if (create) Files.createDirectories(p.getParent());
            StandardOpenOption[] opts = create
                    ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING}
                    : new StandardOpenOption[] {StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING};
            Files.write(p, content.getBytes(StandardCharsets.UTF_8), opts);
        } catch (NoSuchFileException e) {
            // removed meanwhile: nothing to update
        } catch (IOException e) {
            throw new dev.hutch.HutchException("cannot write " + p + ": " + e.getMessage(), e);
        }
    }
}
