package dev.hutch.net.ipam;

import dev.hutch.util.FileLock;
import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.spec.InvalidSpecException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The addresses of one network, as one file per address: {@code <dir>/leases/10.199.0.7} holding
 * the owner as JSON. Allocation takes the network's lock, walks round-robin from the last address
 * handed out (like CNI's host-local plugin, so a freed address is not reused at once) and creates
 * the first free lease file with CREATE_NEW: O(1) in the usual case, no scan of containers.
 *
 * <p>Crash safety: a lease whose container's state dir ({@code <runRoot>/containers/<id>}) is gone
 * belongs to a run that crashed or was removed without cleanup; it is taken over when the walk
 * meets it. A grace period protects a lease made just before its state dir.
 *
 * <p>Dual stack: on a network with an IPv6 subnet, a lease's IPv6 address is its IPv4 address's
 * twin, at the same offset from the IPv6 network address ({@code 10.210.0.7} in 10.210.0.0/24 is
 * {@code fd68::7} in fd68::/64). One lease file, one lock and one walk give both families, and a
 * freed IPv4 address frees its twin with it. The IPv4 address whose twin is the IPv6 gateway is
 * never handed out (with the default gateways, that is the IPv4 gateway itself).
 *
 * <p>An IPv6 address asked for ({@code --ip6}) replaces the twin in that container's lease and is
 * also held by a file of its own, {@code <dir>/leases6/<address>}, under the same lock: it is taken
 * only if no such file and no live lease's twin holds it, and an IPv4 address whose twin such a file
 * holds is skipped by the walk (its twin is someone else's). Released with the lease.
 */
public final class LeaseStore {
    public static final long DEFAULT_GRACE_MILLIS = 30_000;

    private final Path dir;
    private final Cidr subnet;
    private final int gateway;
    private final Predicate<String> containerExists;
    private final long graceMillis;
    private final Ipv6Cidr subnet6;
    private final Integer gateway6Twin;
    private final String gateway6;

    public LeaseStore(Path networkDir, Cidr subnet, int gateway, Predicate<String> containerExists, long graceMillis) {
        this(networkDir, subnet, gateway, null, null, containerExists, graceMillis);
    }

    /** @param subnet6 null for an IPv4-only network; gateway6 its gateway (null with it) */
    public LeaseStore(Path networkDir, Cidr subnet, int gateway, Ipv6Cidr subnet6, long[] gateway6,
                      Predicate<String> containerExists, long graceMillis) {
        this.dir = networkDir;
        this.subnet = subnet;
        this.gateway = gateway;
        this.subnet6 = subnet6;
        this.gateway6Twin = subnet6 == null ? null : twinOf6(subnet, subnet6, gateway6);
        this.gateway6 = subnet6 == null || gateway6 == null ? null : Ipv6.format(gateway6);
        this.containerExists = containerExists;
        this.graceMillis = graceMillis;
    }

    /** The IPv6 address that goes with an IPv4 address of the subnet, or null on an IPv4-only network. */
    public String ipv6Twin(String ipv4) {
        if (subnet6 == null) return null;
        return Ipv6.format(subnet6.hostAt((Ipv4.parse(ipv4) - subnet.network()) & 0xffffffffL));
    }

    /** The IPv4 address whose twin is this IPv6 address, or null if there is none in the subnet. */
    static Integer twinOf6(Cidr subnet, Ipv6Cidr subnet6, long[] address6) {
        long offset = subnet6.offsetOf(address6);
        return offset >= 0 && offset < subnet.size() ? (int) (subnet.network() + offset) : null;
    }

    private boolean reserved(int address) {
        return address == gateway || (gateway6Twin != null && address == gateway6Twin);
    }

    public Path leasesDir() { return dir.resolve("leases"); }

    /** The IPv6 addresses asked for with {@code --ip6}, one file each (see the class comment). */
    public Path leases6Dir() { return dir.resolve("leases6"); }

    public Path lockFile() { return dir.resolve(".lock"); }

    /**
     * Hands an address to a container.
     *
     * @param requested a specific address (docker's {@code --ip}), or null for the next free one
     */
    public Lease allocate(Lease owner, String requested) { return allocate(owner, requested, null); }

    /**
     * Hands an address to a container, and with {@code requested6} (docker's {@code --ip6}) that IPv6
     * address instead of the twin: checked, then the IPv4 lease taken, then the IPv6 file made; a
     * refusal at any point leaves neither.
     */
    public Lease allocate(Lease owner, String requested, String requested6) {
        return FileLock.with(lockFile(), () -> {
            createDirs();
            String ip6 = null;
            if (requested6 != null) {
                ip6 = Ipv6.format(requestedAddress6(requested6));
                requireFree6(ip6, requested6);
            }
            Lease l = requested != null ? take(owner, requestedAddress(requested), ip6) : takeNextFree(owner, ip6);
            if (ip6 == null) return l;
            try {
                hold6(l);
            } catch (RuntimeException e) {
                delete(leasesDir().resolve(l.ip()));
                throw e;
            }
            return l;
        });
    }

    /** Refuses a {@code --ip6} that {@link #allocate} would refuse now; changes nothing, takes no lock. */
    public void checkRequest6(String requested6) {
        requireFree6(Ipv6.format(requestedAddress6(requested6)), requested6);
    }

    private long[] requestedAddress6(String requested6) {
        long[] a = Ipv6.parseOrNull(requested6);
        if (a == null) throw new InvalidSpecException("--ip6", requested6, "is not an IPv6 address");
        if (subnet6 == null)
            throw new InvalidSpecException("--ip6", requested6, "needs a network with IPv6 (create one with `hutch network create --ipv6`)");
        if (!subnet6.contains(a) || subnet6.offsetOf(a) == 0 || Ipv6.format(a).equals(gateway6))
            throw new InvalidSpecException("--ip6", requested6, "is not a free host address of the network's subnet " + subnet6
                    + " (the gateway " + gateway6 + " is taken)");
        return a;
    }

    /** The IPv6 address is held by an earlier --ip6, or is the twin a live lease uses. */
    private void requireFree6(String ip6, String requested6) {
        Path own = leases6Dir().resolve(ip6);
        Lease holder = read(own);
        if (Files.exists(own) && !isStale(own, holder))
            throw inUse6(ip6, holder);
        Integer twin = twinOf6(subnet, subnet6, Ipv6.parse(ip6));
        if (twin == null) return;
        Path p = leasesDir().resolve(Ipv4.format(twin));
        Lease twinHolder = read(p);
        if (twinHolder != null && ip6.equals(twinHolder.ip6()) && !isStale(p, twinHolder)) throw inUse6(ip6, twinHolder);
    }

    private static HutchException inUse6(String ip6, Lease holder) {
        return new HutchException("address " + ip6 + " is already in use"
                + (holder == null ? "" : " by container " + holder.name()) + "; pick another --ip6 or leave it out");
    }

    /** Whether the twin of this IPv4 address is held by someone's --ip6 (so the address cannot use it). */
    private boolean twinHeld(int address) {
        if (subnet6 == null || !Files.isDirectory(leases6Dir())) return false;
        Path p = leases6Dir().resolve(ipv6Twin(Ipv4.format(address)));
        return Files.exists(p) && !isStale(p, read(p));
    }

    private void hold6(Lease l) {
        try {
            Files.createDirectories(leases6Dir());
            dev.hutch.util.AtomicFiles.replace(leases6Dir().resolve(l.ip6()), Json.write(l));
        } catch (IOException e) {
            throw new HutchException("cannot write lease " + leases6Dir().resolve(l.ip6()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses a {@code --ip} that {@link #allocate} would refuse now: not an address of the subnet,
     * the gateway, or held by a live container. Changes nothing, takes no lock: a run checks before
     * it reserves its name, and allocate still decides a race.
     */
    public void checkRequest(String requested) {
        int address = requestedAddress(requested);
        Path p = leasesDir().resolve(Ipv4.format(address));
        if (!Files.exists(p)) return;
        Lease holder = read(p);
        if (!isStale(p, holder))
            throw new HutchException("address " + Ipv4.format(address) + " is already in use"
                    + (holder == null ? "" : " by container " + holder.name()) + "; pick another --ip or leave it out");
    }

    /** Frees a lease if this container still holds it; quiet if it is already gone. */
    public void release(String ip, String containerId) {
        FileLock.run(lockFile(), () -> {
            Path p = leasesDir().resolve(ip);
            Lease l = read(p);
            if (l != null && !containerId.equals(l.containerId())) return; // taken over by someone else
            delete(p);
            if (l != null && l.ip6() != null) release6(l.ip6(), containerId);
        });
    }

    private void release6(String ip6, String containerId) {
        Path p = leases6Dir().resolve(ip6);
        Lease held = read(p);
        if (held != null && containerId.equals(held.containerId())) delete(p);
    }

    /**
     * Frees every lease this container holds: for a run killed between taking an address and
     * recording it, whose record cannot say which. A scan of this network's lease files, taken
     * only on that path ({@code rm} of an interrupted or damaged record).
     */
    public int releaseAllOf(String containerId) {
        if (!Files.isDirectory(leasesDir())) return 0;
        return FileLock.with(lockFile(), () -> {
            int n = 0;
            for (Path p : leaseFiles()) {
                Lease l = read(p);
                if (l != null && containerId.equals(l.containerId())) {
                    delete(p);
                    n++;
                }
            }
            for (Path p : files(leases6Dir())) {
                Lease l = read(p);
                if (l != null && containerId.equals(l.containerId())) delete(p);
            }
            return n;
        });
    }

    /**
     * docker rename: the container's leases carry its new name, so the hosts files written from
     * them resolve it. Each lease file is replaced whole (temp file, rename), under the lock.
     */
    public void rename(String containerId, String newName) {
        if (!Files.isDirectory(leasesDir())) return;
        FileLock.run(lockFile(), () -> {
            List<Path> files = new ArrayList<>(leaseFiles());
            files.addAll(files(leases6Dir()));
            for (Path p : files) {
                Lease l = read(p);
                if (l == null || !containerId.equals(l.containerId())) continue;
                // the IPv6 address stays: dropping it would take the AAAA lines out of the peers' hosts files
                Lease renamed = new Lease(l.ip(), l.containerId(), newName, l.hostname(), l.aliases(), l.ip6());
                dev.hutch.util.AtomicFiles.replace(p, Json.write(renamed));
            }
        });
    }

    /** Every readable lease, stale ones included (see {@link #isStale}). */
    public List<Lease> leases() {
        List<Lease> out = new ArrayList<>();
        for (Path p : leaseFiles()) {
            Lease l = read(p);
            if (l != null) out.add(l);
        }
        return out;
    }

    /** The lease files, whatever their content. */
    public List<Path> leaseFiles() { return files(leasesDir()); }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) out.add(p);
            }
        } catch (IOException e) {
            throw new HutchException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Leases whose container still exists. */
    public List<Lease> liveLeases() {
        return leases().stream().filter(l -> containerExists.test(l.containerId())).toList();
    }

    /** Deletes the leases of containers that no longer exist; returns how many. */
    public int reclaimStale() {
        return FileLock.with(lockFile(), () -> {
            int n = 0;
            for (Path p : leaseFiles()) {
                if (isStale(p, read(p))) { delete(p); n++; }
            }
            for (Path p : files(leases6Dir())) if (isStale(p, read(p))) delete(p);
            return n;
        });
    }

    private int requestedAddress(String requested) {
        Integer a = Ipv4.parseOrNull(requested);
        if (a == null) throw new InvalidSpecException("--ip", requested, "is not an IPv4 address");
        if (!subnet.isHost(a) || reserved(a))
            throw new InvalidSpecException("--ip", requested, "is not a free host address of the network's subnet " + subnet
                    + " (the gateway " + Ipv4.format(gateway) + " is taken)");
        return a;
    }

    private Lease take(Lease owner, int address, String ip6) {
        if (ip6 == null && twinHeld(address))
            throw new HutchException("the IPv6 twin " + ipv6Twin(Ipv4.format(address)) + " of address " + Ipv4.format(address)
                    + " is held by another container's --ip6; pick another --ip, or give this one an --ip6 too");
        Lease l = tryTake(owner, address, ip6);
        if (l != null) return l;
        Lease holder = read(leasesDir().resolve(Ipv4.format(address)));
        throw new HutchException("address " + Ipv4.format(address) + " is already in use"
                + (holder == null ? "" : " by container " + holder.name()) + "; pick another --ip or leave it out");
    }

    private Lease takeNextFree(Lease owner, String ip6) {
        int first = subnet.firstHost(), last = subnet.lastHost();
        long count = (long) last - first + 1;
        int start = nextAfter(readLast(), first, last);
        int candidate = start;
        for (long i = 0; i < count; i++) {
            if (!reserved(candidate) && (ip6 != null || !twinHeld(candidate))) {
                Lease l = tryTake(owner, candidate, ip6);
                if (l != null) {
                    writeLast(candidate);
                    return l;
                }
            }
            candidate = nextAfter(candidate, first, last);
        }
        throw new HutchException("the network's subnet " + subnet + " has no free address left; remove containers "
                + "or create a network with a larger --subnet");
    }

    private static int nextAfter(Integer previous, int first, int last) {
        if (previous == null || previous < first || previous >= last) return first;
        return previous + 1;
    }

    /** Creates the lease file, or takes over a stale one; null if a live container holds it. */
    private Lease tryTake(Lease owner, int address, String ip6) {
        String ip = Ipv4.format(address);
        Lease lease = new Lease(ip, owner.containerId(), owner.name(), owner.hostname(), owner.aliases(),
                ip6 != null ? ip6 : ipv6Twin(ip));
        Path p = leasesDir().resolve(ip);
        byte[] content = Json.write(lease).getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(p, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return lease;
        } catch (FileAlreadyExistsException e) {
            Lease holder = read(p);
            if (!isStale(p, holder)) return null;
            try {
                Files.write(p, content, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            } catch (IOException ex) {
                throw new HutchException("cannot take over stale lease " + p + ": " + ex.getMessage(), ex);
            }
            return lease;
        } catch (IOException e) {
            throw new HutchException("cannot write lease " + p + ": " + e.getMessage(), e);
        }
    }

    private boolean isStale(Path p, Lease holder) {
        if (holder != null && containerExists.test(holder.containerId())) return false;
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(p).toMillis();
            return age >= graceMillis;
        } catch (IOException e) {
            return true; // vanished: free
        }
    }

    private Integer readLast() {
        try {
            return Ipv4.parseOrNull(Files.readString(dir.resolve("last")).trim());
        } catch (IOException e) {
            return null;
        }
    }

    private void writeLast(int address) {
        try {
            Files.writeString(dir.resolve("last"), Ipv4.format(address));
        } catch (IOException e) {
            // only a hint for the next walk; a lost write costs a longer walk, nothing else
        }
    }

    private static Lease read(Path p) {
        try {
            String text = Files.readString(p);
            return text.isBlank() ? null : Lease.fromJson(text);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // half-written by a crashed run: treated as ownerless, so stale after the grace
        }
    }

    private void createDirs() {
        try {
            Files.createDirectories(leasesDir());
        } catch (IOException e) {
            throw new HutchException("cannot create " + leasesDir() + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new HutchException("cannot delete lease " + p + ": " + e.getMessage(), e);
        }
    }
}
