package dev.hutch.net.netns;

import dev.hutch.net.netlink.AddressInfo;
import dev.hutch.net.netlink.LinkInfo;
import dev.hutch.net.netlink.RouteNetlink;
import dev.hutch.sys.Syscalls;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code hutch netns ls}: every network namespace on the host, found the ways the background
 * articles show, and de-duplicated by namespace inode:
 * <ol>
 *   <li>named ones in the netns dir ({@code ip netns add}, and hutch's {@code hutch-<name>} files);</li>
 *   <li>hutch's running containers ({@code /proc/<init pid>/ns/net});</li>
 *   <li>docker's, in {@code /run/docker/netns};</li>
 *   <li>every other process's unnamed one, by walking {@code /proc/*}/ns/net.</li>
 * </ol>
 * For each, the interfaces and IPv4 addresses, read by a netlink dump from a thread inside it.
 */
public final class NetnsLister {

    /** One interface of a namespace. */
    public record Interface(int index, String name, String kind, String state, int mtu, String mac, List<String> addresses) {}

    /**
     * One namespace.
     *
     * @param inode   the namespace's identity ({@code net:[inode]})
     * @param names   how it is known: "host", "hutch-web", "container web", "docker 1eaefed87449", "pid 4242"
     * @param path    a path that opens it
     * @param pids    processes found in it (only when the /proc walk ran)
     * @param error   why its interfaces could not be read, or null
     */
    public record Namespace(long inode, List<String> names, String path, List<Long> pids, List<Interface> interfaces, String error) {}

    private final Path procRoot;
    private final Path netnsDir;
    private final Path dockerNetnsDir;
    private final Syscalls sys;

    public NetnsLister(Path procRoot, Path netnsDir, Path dockerNetnsDir, Syscalls sys) {
        this.procRoot = procRoot;
        this.netnsDir = netnsDir;
        this.dockerNetnsDir = dockerNetnsDir;
        this.sys = sys;
    }

    /**
     * @param hutchContainers running hutch containers: name to init pid
     * @param withInterfaces  false for a quick list without entering every namespace
     */
    public List<Namespace> list(Map<String, Long> hutchContainers, boolean withInterfaces) {
        Map<Long, Found> byInode = new LinkedHashMap<>();
        // the engine's own namespace is the host's (pid 1's may be unreadable, e.g. under a sandboxing VM)
        add(byInode, procRoot.resolve("self/ns/net"), "host", 0);
        files(netnsDir).forEach(p -> add(byInode, p, p.getFileName().toString(), 0));
        hutchContainers.forEach((name, pid) -> add(byInode, procRoot.resolve(pid + "/ns/net"), "container " + name, 0));
        files(dockerNetnsDir).forEach(p -> add(byInode, p, "docker " + p.getFileName(), 0));
        for (long pid : pids()) add(byInode, procRoot.resolve(pid + "/ns/net"), null, pid);

        List<Namespace> out = new ArrayList<>();
        for (Map.Entry<Long, Found> e : byInode.entrySet()) {
            Found f = e.getValue();
            List<String> names = new ArrayList<>(f.names);
            if (names.isEmpty()) names.add("pid " + f.pids.get(0));
            List<Interface> ifs = List.of();
            String error = null;
            if (withInterfaces) {
                try {
                    ifs = interfaces(f.path);
                } catch (RuntimeException ex) {
                    error = ex.getMessage();
                }
            }
            out.add(new Namespace(e.getKey(), names, f.path, f.pids, ifs, error));
        }
        return out;
    }

    /** The interfaces of one namespace, read from inside it. */
    public List<Interface> interfaces(String netnsPath) {
        return new InNetns(sys).call(netnsPath, s -> {
            try (RouteNetlink nl = new RouteNetlink(s)) {
                List<AddressInfo> addrs = nl.addresses();
                List<Interface> out = new ArrayList<>();
                for (LinkInfo l : nl.links()) {
                    List<String> mine = addrs.stream().filter(a -> a.index() == l.index()).map(AddressInfo::cidr).toList();
                    out.add(new Interface(l.index(), l.name(), l.kind(), l.state(), l.mtu(), l.mac(), mine));
                }
                return out;
            }
        });
    }

    private static final class Found {
        final List<String> names = new ArrayList<>();
        final List<Long> pids = new ArrayList<>();
        String path;
    }

    private static void add(Map<Long, Found> byInode, Path nsPath, String name, long pid) {
        Long inode = inode(nsPath);
        if (inode == null) return;
        Found f = byInode.computeIfAbsent(inode, k -> new Found());
        if (f.path == null) f.path = nsPath.toString();
        if (name != null && !f.names.contains(name)) f.names.add(name);
        if (pid != 0) f.pids.add(pid);
    }

    /** The namespace inode behind a path: stat follows /proc's magic link or the bind mount to the nsfs inode. */
    static Long inode(Path p) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino");
            return ino instanceof Long l ? l : null;
        } catch (IOException | RuntimeException e) {
            return null; // the process ended, or a stale file
        }
    }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) out.add(p);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    private List<Long> pids() {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(procRoot)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) out.add(Long.parseLong(n));
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /**
     * For {@code hutch debug NAME -- CMD}: the argv that runs a host tool inside a container's network
     * namespace only (its filesystem stays the host's, so {@code ip}, {@code ss}, {@code tcpdump}
     * work even in a busybox container), like {@code nsenter -t PID -n}.
     */
    public static List<String> debugCommand(long initPid, List<String> command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(initPid), "-n", "--"));
        argv.addAll(command);
        return argv;
    }
}
