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

    public Path lockFile() { return dir.resolve(".lock"); }

    /**
     * Hands an address to a container.
     *
     * @param requested a specific address (docker's {@code --ip}), or null for the next free one
     */
    public Lease allocate(Lease owner, String requested) {
        return FileLock.with(lockFile(), () -> {
            createDirs();
            if (requested != null) return take(owner, requestedAddress(requested));
            return takeNextFree(owner);
        });
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
        });
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
            for (Path p : leaseFiles()) {
                Lease l = read(p);
                if (l == null || !containerId.equals(l.containerId())) continue;
                Lease renamed = new Lease(l.ip(), l.containerId(), newName, l.hostname(), l.aliases());
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
    public List<Path> leaseFiles() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(leasesDir())) return out;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(leasesDir())) {
            for (Path p : ds) {
                if (!p.getFileName().toString().startsWith(".")) out.add(p);
            }
        } catch (IOException e) {
            throw new HutchException("cannot list " + leasesDir() + ": " + e.getMessage(), e);
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

    private Lease take(Lease owner, int address) {
        Lease l = tryTake(owner, address);
        if (l != null) return l;
        Lease holder = read(leasesDir().resolve(Ipv4.format(address)));
        throw new HutchException("address " + Ipv4.format(address) + " is already in use"
                + (holder == null ? "" : " by container " + holder.name()) + "; pick another --ip or leave it out");
    }

    private Lease takeNextFree(Lease owner) {
        int first = subnet.firstHost(), last = subnet.lastHost();
        long count = (long) last - first + 1;
        int start = nextAfter(readLast(), first, last);
        int candidate = start;
        for (long i = 0; i < count; i++) {
            if (!reserved(candidate)) {
                Lease l = tryTake(owner, candidate);
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
    private Lease tryTake(Lease owner, int address) {
        String ip = Ipv4.format(address);
        Lease lease = new Lease(ip, owner.containerId(), owner.name(), owner.hostname(), owner.aliases(), ipv6Twin(ip));
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
