package dev.hutch.net.nat;

import dev.hutch.HutchException;
import dev.hutch.util.FileLock;
import dev.hutch.spec.PortMapping;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Applies and removes hutch's iptables rules (planned by {@link NatPlanner}). Every change happens
 * under one host-wide file lock ({@link #hostLockFile}), reads the current ruleset once, and writes
 * once, so concurrent hutch processes, even of engines with different roots, never add a hook
 * twice or lose a rule. One instance per family: {@code iptables} or, for the IPv6 side of
 * dual-stack networks, {@code ip6tables} ({@link Iptables#forIpv6()}), with the same chains and comments.
 */
public final class NatRules {
    private final Iptables iptables;
    private final Path lockFile;

    /**
     * The ruleset is one per host, whatever an engine's roots are, so the lock is too:
     * {@code /run/lock/hutch-iptables.lock}, or under the networks dir where /run/lock is missing.
     */
    public static Path hostLockFile(Path networksDir) {
        Path runLock = Path.of("/run/lock");
        return java.nio.file.Files.isDirectory(runLock) ? runLock.resolve("hutch-iptables.lock")
                : networksDir.resolve(".iptables.lock");
    }

    public NatRules(Iptables iptables, Path lockFile) {
        this.iptables = iptables;
        this.lockFile = lockFile;
    }

    /** Makes sure the chains, the hooks and the network's own rules exist (idempotent). */
    public void ensureNetwork(String bridge, String subnet) {
        FileLock.run(lockFile, () -> {
            SavedRules saved = SavedRules.parse(iptables.save());
            ensureChains(saved);
            List<IptablesRule> missing = new ArrayList<>(missingHooks(saved));
            if (saved.withComment(NatPlanner.networkComment(bridge)).isEmpty())
                missing.addAll(NatPlanner.networkRules(bridge, subnet, iptables.ipv6()));
            iptables.restore(NatPlanner.restoreScript(missing));
        });
    }

    /** Removes a network's own rules, then the chains and hooks if nothing of hutch's is left in them. */
    public void removeNetwork(String bridge) {
        FileLock.run(lockFile, () -> {
            SavedRules saved = SavedRules.parse(iptables.save());
            iptables.restore(SavedRules.deletionScript(saved.withComment(NatPlanner.networkComment(bridge))));
            removeChainsIfEmpty(SavedRules.parse(iptables.save()));
        });
    }

    /**
     * Publishes a container's ports. Host port 0 becomes a free port; a port another container
     * already publishes, or a host program holds, is refused.
     *
     * @return the mappings with their real host ports, to record and show in {@code ps}
     */
    public List<PortMapping> publish(String containerId, String ip, String bridge, String subnet,
                                     List<PortMapping> ports) {
        if (ports.isEmpty()) return List.of();
        return FileLock.with(lockFile, () -> {
            SavedRules saved = SavedRules.parse(iptables.save());
            ensureChains(saved);
            List<IptablesRule> rules = new ArrayList<>(missingHooks(saved));
            if (saved.withComment(NatPlanner.networkComment(bridge)).isEmpty())
                rules.addAll(NatPlanner.networkRules(bridge, subnet, iptables.ipv6()));
            List<PortMapping> resolved = new ArrayList<>();
            for (PortMapping p : ports) {
                int hostPort = p.hostPort();
                if (hostPort == 0) {
                    do hostPort = HostPorts.pickFree(p.protocol(), p.hostIp());
                    while (publishedBy(saved, resolved, p.protocol(), p.hostIp(), hostPort) != null);
                } else {
                    String owner = publishedBy(saved, resolved, p.protocol(), p.hostIp(), hostPort);
                    if (owner != null)
                        throw new HutchException("--publish: host port " + hostPort + "/" + p.protocol()
                                + " is already published by " + owner + "; pick another port, or 0 to let hutch choose");
                    HostPorts.requireFree(p.protocol(), p.hostIp(), hostPort);
                }
                resolved.add(new PortMapping(p.hostIp(), hostPort, p.containerPort(), p.protocol()));
            }
            List<PortMapping> mine = resolved.stream().filter(p -> NatPlanner.inFamily(p.hostIp(), iptables.ipv6()))
                .filter(p -> !dev.hutch.net.LoopbackProxy.isLoopback6(p.hostIp())).toList(); // [::1]: the monitor's proxy
            rules.addAll(NatPlanner.containerRules(containerId, ip, bridge, mine, iptables.ipv6()));
            iptables.restore(NatPlanner.restoreScript(rules));
            return resolved;
        });
    }

    /**
     * The IPv6 side of a dual-stack container's ports, whose host ports {@link #publish} on the
     * IPv4 rules already chose: the DNAT rules for the ports of this family, refused if another
     * container publishes the same port here.
     */
    public void publishChosen(String containerId, String ip, String bridge, String subnet, List<PortMapping> chosen) {
        List<PortMapping> mine = chosen.stream().filter(p -> NatPlanner.inFamily(p.hostIp(), iptables.ipv6()))
                .filter(p -> !dev.hutch.net.LoopbackProxy.isLoopback6(p.hostIp())).toList(); // [::1]: the monitor's proxy
        if (mine.isEmpty()) return;
        FileLock.run(lockFile, () -> {
            SavedRules saved = SavedRules.parse(iptables.save());
            ensureChains(saved);
            List<IptablesRule> rules = new ArrayList<>(missingHooks(saved));
            if (saved.withComment(NatPlanner.networkComment(bridge)).isEmpty())
                rules.addAll(NatPlanner.networkRules(bridge, subnet, iptables.ipv6()));
            for (PortMapping p : mine) {
                String owner = publishedBy(saved, List.of(), p.protocol(), p.hostIp(), p.hostPort());
                if (owner != null)
                    throw new HutchException("--publish: host port " + p.hostPort() + "/" + p.protocol()
                            + " is already published on IPv6 by " + owner + "; pick another port, or 0 to let hutch choose");
            }
            rules.addAll(NatPlanner.containerRules(containerId, ip, bridge, mine, iptables.ipv6()));
            iptables.restore(NatPlanner.restoreScript(rules));
        });
    }

    /** Removes every rule of this container; quiet if there are none. */
    public void unpublish(String containerId) {
        FileLock.run(lockFile, () -> {
            SavedRules saved = SavedRules.parse(iptables.save());
            iptables.restore(SavedRules.deletionScript(saved.withComment(NatPlanner.containerComment(containerId))));
        });
    }

    /** Every rule that mentions hutch, as saved lines, for the leak check. */
    public List<String> leftovers() {
        SavedRules saved = SavedRules.parse(iptables.save());
        List<String> out = new ArrayList<>();
        for (SavedRules.Saved r : saved.rules()) {
            if (r.line().toLowerCase().contains("hutch")) out.add("-t " + r.table() + " " + r.line());
        }
        for (String[] c : NatPlanner.CHAINS) {
            if (saved.hasChain(c[0], c[1])) out.add("-t " + c[0] + " -N " + c[1]);
        }
        return out;
    }

    /** Deletes the hooks and chains when no rule is left in hutch's chains. */
    public void removeChainsIfUnused() {
        FileLock.run(lockFile, () -> removeChainsIfEmpty(SavedRules.parse(iptables.save())));
    }

    private void removeChainsIfEmpty(SavedRules saved) {
        for (String[] c : NatPlanner.CHAINS) {
            if (!saved.inChain(c[0], c[1]).isEmpty()) return;
        }
        iptables.restore(SavedRules.deletionScript(saved.withComment(NatPlanner.HOOK_COMMENT)));
        for (String[] c : NatPlanner.CHAINS) {
            if (saved.hasChain(c[0], c[1])) iptables.iptables(List.of("iptables", "-w", "-t", c[0], "-X", c[1]));
        }
    }

    private void ensureChains(SavedRules saved) {
        // Not in the restore script: a ":CHAIN" line there would flush an existing chain.
        for (String[] c : NatPlanner.CHAINS) {
            if (!saved.hasChain(c[0], c[1])) iptables.iptables(List.of("iptables", "-w", "-t", c[0], "-N", c[1]));
        }
    }

    private static List<IptablesRule> missingHooks(SavedRules saved) {
        List<IptablesRule> missing = new ArrayList<>();
        for (IptablesRule hook : NatPlanner.hooks()) {
            String target = "-j " + hook.args().get(hook.args().size() - 1);
            boolean present = saved.inChain(hook.table(), hook.chain()).stream().anyMatch(r -> r.line().endsWith(target));
            if (!present) missing.add(hook);
        }
        return missing;
    }

    /** Who already publishes this host port: a container comment, "this container" or null. */
    static String publishedBy(SavedRules saved, List<PortMapping> mine, String proto, String hostIp, int port) {
        for (PortMapping m : mine) {
            if (m.hostPort() == port && m.protocol().equals(proto) && ipsOverlap(m.hostIp(), hostIp)) return "this container";
        }
        for (SavedRules.Saved r : saved.inChain("nat", NatPlanner.DNAT_CHAIN)) {
            List<String> t = Arrays.asList(r.line().split(" "));
            int dport = t.indexOf("--dport"), p = t.indexOf("-p"), d = t.indexOf("-d");
            if (dport < 0 || p < 0 || !t.get(p + 1).equals(proto) || !t.get(dport + 1).equals(Integer.toString(port))) continue;
            String ruleIp = d < 0 ? "" : t.get(d + 1).replace("/32", "").replace("/128", "");
            if (!ipsOverlap(ruleIp, hostIp)) continue;
            int c = t.indexOf("--comment");
            return c < 0 ? "another rule" : "container " + t.get(c + 1).replace("\"", "").replace("hutch:", "");
        }
        return null;
    }

    private static boolean ipsOverlap(String a, String b) {
        boolean anyA = NatPlanner.isAny(a), anyB = NatPlanner.isAny(b);
        return anyA || anyB || a.equals(b);
    }
}
