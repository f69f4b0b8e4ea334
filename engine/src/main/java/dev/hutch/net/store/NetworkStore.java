package dev.hutch.net.store;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.config.EngineConfig;
import dev.hutch.json.Json;
import dev.hutch.net.ipam.Cidr;
import dev.hutch.util.FileLock;
import dev.hutch.net.ipam.Ipv4;
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
        return new LeaseStore(dir(n.name()), n.cidr(), n.gatewayAddress(),
                id -> Files.isDirectory(config.containerStateDir(id)), leaseGraceMillis);
    }

    /**
     * Creates a user network.
     *
     * @param subnet  CIDR, or null to take the first free /24 from 10.200.0.0/16 up
     * @param gateway an address in the subnet, or null for its first host address
     * @param mtu     0 for 1500
     */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu) { return create(name, subnet, gateway, mtu, Map.of()); }

    /** As {@link #create(String, String, String, int)}, with docker's labels on the network. */
    public NetworkConfig create(String name, String subnet, String gateway, int mtu, Map<String, String> labels) {
        checkName(name);
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
            String id = newId();
            String bridge = bridgeName(name, id, existing);
            NetworkConfig n = new NetworkConfig(name, id, cidr.toString(), Ipv4.format(gw), bridge,
                    mtu == 0 ? NetworkConfig.DEFAULT_MTU : mtu, true, Instant.now().toString(), labels);
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
