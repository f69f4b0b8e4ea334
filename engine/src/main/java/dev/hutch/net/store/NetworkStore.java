package dev.hutch.net.store;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.config.EngineConfig;
import dev.hutch.json.Json;
import dev.hutch.net.ipam.Cidr;
import dev.hutch.util.FileLock;
import dev.hutch.net.ipam.Ipv4;
import dev.hutch.net.ipam.Ipv6;
import dev.hutch.net.ipam.Ipv6Cidr;
import dev.hutch.net.ipam.LeaseStore;
import dev.hutch.spec.InvalidSpecException;
import dev.hutch.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The networks' files under {@code <libRoot>/networks}: one directory per network with its
 * {@code network.json} (user networks only) and its leases. Creation checks names and subnets
 * (no overlap with any other network, the default one included) under a lock, so two concurrent
 * creates cannot take the same subnet.
 */
public final class NetworkStore {
    public static final String DEFAULT_NETWORK = "bridge";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");
    private static final Pattern SHORT_BRIDGE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,8}");
    /** Where subnets of user networks come from when none is given: the /24s of 10.200.0.0 to 10.254.255.0. */
    private static final int AUTO_POOL_FIRST = Ipv4.parse("10.200.0.0"), AUTO_POOL_LAST = Ipv4.parse("10.254.255.0");
    /** Where IPv6 subnets come from for {@code --ipv6} without one: the /64s of this unique local /48 ("hutch" in hex). */
    private static final long AUTO_POOL6_HIGH = 0xfd68_7574_6368_0000L;

    private final EngineConfig config;
    private final long leaseGraceMillis;

    public NetworkStore(EngineConfig config) { this(config, LeaseStore.DEFAULT_GRACE_MILLIS); }

    public NetworkStore(EngineConfig config, long leaseGraceMillis) {
        this.config = config;
        this.leaseGraceMillis = leaseGraceMillis;
    }

    public Path dir(String network) { return config.networksDir().resolve(network); }

    /** The default network, from the engine's configuration. */
    public NetworkConfig defaultNetwork() {
        Cidr c = Cidr.parse("HUTCH_BRIDGE_SUBNET", config.bridgeSubnet());
        return new NetworkConfig(DEFAULT_NETWORK, "default", c.toString(), Ipv4.format(c.firstHost()), config.bridgeName(),
                NetworkConfig.DEFAULT_MTU, false, null);
    }

    public Optional<NetworkConfig> find(String name) {
        if (DEFAULT_NETWORK.equals(name)) return Optional.of(defaultNetwork());
        if (name == null || !NAME.matcher(name).matches()) return Optional.empty();
        String text = AtomicFiles.readOrNull(dir(name).resolve("network.json"));
        return text == null ? Optional.empty() : Optional.of(NetworkConfig.fromJson(Json.parseObject(text)));
    }

    public NetworkConfig require(String name) {
        return find(name).orElseThrow(() -> new NotFoundException("network " + name + " not found (see `hutch network ls`)"));
    }

    /** The default network first, then user networks by name. */
    public List<NetworkConfig> list() {
        List<NetworkConfig> out = new ArrayList<>();
        out.add(defaultNetwork());
        if (!Files.isDirectory(config.networksDir())) return out;
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(config.networksDir())) {
            for (Path p : ds) {
                if (Files.isRegularFile(p.resolve("network.json"))) names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new HutchException("cannot list " + config.networksDir() + ": " + e.getMessage(), e);
        }
        names.sort(null);
        for (String n : names) find(n).ifPresent(out::add);
        return out;
    }

    public LeaseStore leases(NetworkConfig n) {
        return new LeaseStore(dir(n.name()), n.cidr(), n.gatewayAddress(), n.cidr6(), n.gateway6Address(),
                id -> Files.isDirectory(config.containerStateDir(id)), leaseGraceMillis);
    }

    /**
     * Creates a user network.
     *
     * @param subnet  CIDR, or null to take the first free /24 from 10.200.0.0/16 up
     * @param gateway an address in the subnet, or null for its first host address
     * @param mtu     0 for 1500
     */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu) {
        return create(name, subnet, gateway, mtu, false, null, null, Map.of());
    }

    /** As {@link #create(String, String, String, int)}, with docker's labels on the network. */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu, Map<String, String> labels) {
        return create(name, subnet, gateway, mtu, false, null, null, labels);
    }

    /**
     * Creates a user network, dual stack when {@code ipv6} is set.
     *
     * @param subnet6  an IPv6 subnet (/64 to /120), or null to take the first free /64 of
     *                 fd68:7574:6368::/48; only with {@code ipv6}
     * @param gateway6 an address in it, or null for the twin of the IPv4 gateway (see {@link LeaseStore})
     * @param labels   docker's network labels
     */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu, boolean ipv6, String subnet6,
                                String gateway6, Map<String, String> labels) {
        checkName(name);
        if (!ipv6 && subnet6 != null)
            throw new InvalidSpecException("--subnet", subnet6, "is an IPv6 subnet; add --ipv6 to make a dual-stack network");
        if (!ipv6 && gateway6 != null)
            throw new InvalidSpecException("--gateway", gateway6, "is an IPv6 address; add --ipv6 and an IPv6 --subnet");
        if (gateway6 != null && subnet6 == null)
            throw new InvalidSpecException("--gateway", gateway6, "needs the IPv6 --subnet it belongs to");
        Ipv6Cidr given6 = subnet6 == null ? null : Ipv6Cidr.parse("--subnet", subnet6);
        if (mtu != 0 && (mtu < 68 || mtu > 65535)) throw new InvalidSpecException("--mtu", mtu, "must be from 68 to 65535");
        return FileLock.with(config.networksDir().resolve(".lock"), () -> {
            if (find(name).isPresent()) throw new HutchException("network " + name + " already exists");
            List<NetworkConfig> existing = list();
            Cidr cidr = subnet == null ? autoSubnet(existing) : Cidr.parse("--subnet", subnet);
            if (cidr.prefixLength() > 30) throw new InvalidSpecException("--subnet", subnet, "is too small (at most /30)");
            for (NetworkConfig other : existing) {
                if (other.cidr().overlaps(cidr))
                    throw new InvalidSpecException("--subnet", cidr, "overlaps network " + other.name() + " (" + other.subnet()
                            + "); pick a subnet outside it");
            }
            int gw = gatewayFor(cidr, gateway);
            Ipv6Cidr cidr6 = null;
            long[] gw6 = null;
            if (ipv6) {
                List<HostAddresses6.Address> host = HostAddresses6.read(config.procRoot());
                cidr6 = given6 != null ? given6 : autoSubnet6(existing, host);
                checkSubnet6(cidr6, cidr, existing, host);
                gw6 = gateway6For(cidr6, cidr, gw, gateway6);
            }
            String id = newId();
            String bridge = bridgeName(name, id, existing);
            NetworkConfig n = new NetworkConfig(name, id, cidr.toString(), Ipv4.format(gw), bridge,
                    mtu == 0 ? NetworkConfig.DEFAULT_MTU : mtu, true, Instant.now().toString(),
                    cidr6 == null ? null : cidr6.toString(), gw6 == null ? null : Ipv6.format(gw6), labels);
            AtomicFiles.write(dir(name).resolve("network.json"), Json.pretty(n) + "\n");
            return n;
        });
    }

    /** Deletes a user network's files; the caller has checked it is unused and removed its bridge. */
    public void delete(NetworkConfig n) {
        try {
            org.apache.commons.io.FileUtils.deleteDirectory(dir(n.name()).toFile());
        } catch (IOException e) {
            throw new HutchException("cannot remove " + dir(n.name()) + ": " + e.getMessage(), e);
        }
    }

    /** The lock that serializes create and rm. */
    public Path lockFile() { return config.networksDir().resolve(".lock"); }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches())
            throw new InvalidSpecException("network name", name, "must be letters, digits, '_', '.', '-', starting with a letter or digit, at most 64 characters");
        if (List.of(DEFAULT_NETWORK, "host", "none", "default").contains(name))
            throw new InvalidSpecException("network name", name, "is reserved; pick another name");
    }

    private static int gatewayFor(Cidr cidr, String gateway) {
        if (gateway == null) return cidr.firstHost();
        Integer gw = Ipv4.parseOrNull(gateway);
        if (gw == null) throw new InvalidSpecException("--gateway", gateway, "is not an IPv4 address");
        if (!cidr.isHost(gw)) throw new InvalidSpecException("--gateway", gateway, "is not a host address of the subnet " + cidr);
        return gw;
    }

    /**
     * An IPv6 subnet must pair every IPv4 address with one of its own (so be at least as large),
     * and overlap neither another network's nor an address the host already has on a link hutch
     * did not make: a bridge route into the host's own LAN prefix would steal its traffic.
     */
    private static void checkSubnet6(Ipv6Cidr cidr6, Cidr cidr, List<NetworkConfig> existing, List<HostAddresses6.Address> host) {
        int v4HostBits = 32 - cidr.prefixLength();
        if (cidr6.hostBits() < v4HostBits)
            throw new InvalidSpecException("--subnet", cidr6, "is smaller than the IPv4 subnet " + cidr + " (each IPv4 address"
                    + " is paired with an IPv6 one); use a /" + (128 - v4HostBits) + " or larger, e.g. a /64");
        for (NetworkConfig other : existing) {
            if (other.ipv6() && other.cidr6().overlaps(cidr6))
                throw new InvalidSpecException("--subnet", cidr6, "overlaps network " + other.name() + " (" + other.subnet6()
                        + "); pick a subnet outside it");
        }
        for (HostAddresses6.Address a : host) {
            if (a.device().startsWith("hutch") || a.device().startsWith("hv") || a.device().equals("lo")) continue;
            if (cidr6.overlapsAddress(a.address(), a.prefixLength()))
                throw new InvalidSpecException("--subnet", cidr6, "overlaps the host's own address " + Ipv6.format(a.address())
                        + "/" + a.prefixLength() + " on " + a.device() + "; pick a subnet outside it (e.g. in fd68:7574:6368::/48)");
        }
    }

    private static long[] gateway6For(Ipv6Cidr cidr6, Cidr cidr, int gw, String gateway6) {
        if (gateway6 == null) return cidr6.hostAt((gw - cidr.network()) & 0xffffffffL);
        long[] a = Ipv6.parseOrNull(gateway6);
        if (a == null) throw new InvalidSpecException("--gateway", gateway6, "is not an IPv6 address");
        if (!cidr6.contains(a) || cidr6.offsetOf(a) == 0)
            throw new InvalidSpecException("--gateway", gateway6, "is not a host address of the subnet " + cidr6);
        return a;
    }

    private static Ipv6Cidr autoSubnet6(List<NetworkConfig> existing, List<HostAddresses6.Address> host) {
        for (int n = 1; n <= 0xffff; n++) {
            Ipv6Cidr candidate = new Ipv6Cidr(AUTO_POOL6_HIGH | n, 0, 64);
            boolean taken = existing.stream().anyMatch(o -> o.ipv6() && o.cidr6().overlaps(candidate))
                    || host.stream().anyMatch(a -> candidate.overlapsAddress(a.address(), a.prefixLength()));
            if (!taken) return candidate;
        }
        throw new HutchException("no free /64 left in fd68:7574:6368::/48; pass an IPv6 --subnet");
    }

    private static Cidr autoSubnet(List<NetworkConfig> existing) {
        for (long a = AUTO_POOL_FIRST & 0xffffffffL; a <= (AUTO_POOL_LAST & 0xffffffffL); a += 256) {
            Cidr candidate = new Cidr((int) a, 24);
            if (existing.stream().noneMatch(n -> n.cidr().overlaps(candidate))) return candidate;
        }
        throw new HutchException("no free /24 left in 10.200.0.0 to 10.254.255.0; pass --subnet");
    }

    /**
     * {@code hutch-<name>} when the name is short and plain enough to be a link name (15 bytes at
     * most), else {@code hutch-<9 hex of the id>}; never the name of another network's bridge.
     */
    static String bridgeName(String name, String id, List<NetworkConfig> existing) {
        String candidate = SHORT_BRIDGE_NAME.matcher(name).matches() ? "hutch-" + name : "hutch-" + id.substring(0, 9);
        boolean taken = existing.stream().anyMatch(n -> n.bridge().equals(candidate));
        return taken ? "hutch-" + id.substring(0, 9) : candidate;
    }

    private static String newId() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
