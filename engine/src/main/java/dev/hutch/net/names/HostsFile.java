package dev.hutch.net.names;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The content of a container's {@code /etc/hosts}: docker's localhost lines, the container's own
 * addresses with its hostname and name, and on user networks the other members by name, hostname
 * and alias. Pure.
 *
 * <p>Why a file and not docker's embedded DNS server: a DNS server per network is a process to run
 * and supervise; a hosts file regenerated when a member joins or leaves gives the same answers for
 * names of running containers, and every libc reads it.
 */
public final class HostsFile {
    /** One address and the names it answers to, in order. */
    public record Entry(String ip, List<String> names) {}

    /** Starts the peers' part, the only part rewritten when other containers come and go. */
    public static final String PEERS_MARKER = "# other containers on the same networks (rewritten by hutch when they come and go)\n";

    private static final String HEADER = """
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            ff00::0\tip6-mcastprefix
            ff02::1\tip6-allnodes
            ff02::2\tip6-allrouters
            """;

    private HostsFile() {}

    /**
     * @param own   the container's own addresses, each with hostname, name and aliases (may be empty
     *              for none/host modes, where docker still lists the hostname on 127.0.0.1... we do
     *              the same with {@code ownLoopbackName})
     * @param peers other containers on the same user networks
     */
    public static String render(List<Entry> own, List<Entry> peers, String ownLoopbackName) {
        StringBuilder sb = new StringBuilder(HEADER);
        if (own.isEmpty() && ownLoopbackName != null && !ownLoopbackName.isEmpty())
            sb.append("127.0.1.1\t").append(ownLoopbackName).append('\n');
        for (Entry e : own) line(sb, e);
        return withPeers(sb.toString(), peers);
    }

    /** The file with its peers' part replaced (or added), the container's own part kept as it is. */
    public static String withPeers(String current, List<Entry> peers) {
        int at = current.indexOf(PEERS_MARKER);
        StringBuilder sb = new StringBuilder(at < 0 ? current : current.substring(0, at));
        if (!peers.isEmpty()) {
            sb.append(PEERS_MARKER);
            for (Entry e : peers) line(sb, e);
        }
        return sb.toString();
    }

    /** Starts the --add-host lines: after the container's own, before the peers; kept when the file is rewritten. */
    public static final String EXTRA_MARKER = "# --add-host\n";

    /** The file with its --add-host part replaced (or added, or removed when there are none). */
    public static String withExtraHosts(String current, List<Entry> extra) {
        int peers = current.indexOf(PEERS_MARKER);
        String head = peers < 0 ? current : current.substring(0, peers), tail = peers < 0 ? "" : current.substring(peers);
        int at = head.indexOf(EXTRA_MARKER);
        StringBuilder sb = new StringBuilder(at < 0 ? head : head.substring(0, at));
        if (!extra.isEmpty()) {
            sb.append(EXTRA_MARKER);
            for (Entry e : extra) line(sb, e);
        }
        return sb.append(tail).toString();
    }

    /** The --add-host part of a file written by {@link #withExtraHosts}, as it stands. */
    public static List<Entry> extraHostsOf(String current) {
        List<Entry> out = new ArrayList<>();
        int at = current == null ? -1 : current.indexOf(EXTRA_MARKER);
        if (at < 0) return out;
        int end = current.indexOf(PEERS_MARKER, at);
        for (String line : current.substring(at + EXTRA_MARKER.length(), end < 0 ? current.length() : end).split("\n")) {
            String[] f = line.split("\t", 2);
            if (f.length == 2) out.add(new Entry(f[0], List.of(f[1].split(" "))));
        }
        return out;
    }

    /** Names without duplicates, in the order given, skipping nulls and blanks. */
    public static List<String> names(String... names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) if (n != null && !n.isBlank()) out.add(n);
        return new ArrayList<>(out);
    }

    private static void line(StringBuilder sb, Entry e) {
        if (e.names().isEmpty()) return;
        sb.append(e.ip()).append('\t').append(String.join(" ", e.names())).append('\n');
    }
}
