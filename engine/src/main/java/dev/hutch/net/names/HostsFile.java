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
