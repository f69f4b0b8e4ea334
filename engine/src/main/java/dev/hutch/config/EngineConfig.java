package dev.hutch.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where an engine keeps its state and which kernel paths it uses. Every root can be moved, which
 * is how tests run engines side by side without touching each other or the real ones.
 *
 * <p>Environment variables (the CLI's {@code --run-root}, {@code --lib-root} flags win over them):
 * {@code HUTCH_RUN_ROOT}, {@code HUTCH_LIB_ROOT}, {@code HUTCH_CGROUP_PARENT}, {@code HUTCH_BRIDGE},
 * {@code HUTCH_BRIDGE_SUBNET}, {@code HUTCH_NETNS_DIR}.
 *
 * @param runRoot      runtime state, {@code /var/run/hutch}: containers/&lt;id&gt;/config.json
 * @param libRoot      images, layers, container upper dirs, volumes, logs: {@code /var/lib/hutch}
 * @param cgroupRoot   where the cgroup hierarchies are mounted, {@code /sys/fs/cgroup}
 * @param cgroupParent the engine's own parent cgroup under each controller, {@code hutch}
 * @param procRoot     {@code /proc}
 * @param netnsDir     where network namespaces are exposed for {@code ip netns}, {@code /var/run/netns}
 * @param bridgeName   the default bridge, {@code hutch0}
 * @param bridgeSubnet the default bridge's subnet; chosen to avoid docker's 172.17/16 and podman's 10.88/16
 * @param env          the caller's environment: where the engine's other HUTCH_* switches come from
 *                     (HUTCH_HELPER, HUTCH_STORAGE_DRIVER, HUTCH_TRACE, HUTCH_MAX_LAYER_SIZE,
 *                     HUTCH_USERNS_LAYERS, HUTCH_TEST_HOLD_AT/FILE)
 */
public record EngineConfig(Path runRoot, Path libRoot, Path cgroupRoot, String cgroupParent, Path procRoot,
                           Path netnsDir, String bridgeName, String bridgeSubnet, CallerEnvironment env) {

    public EngineConfig {
        if (env == null) env = CallerEnvironment.empty();
    }

    /** A config whose caller is this JVM itself (its own environment). */
    public EngineConfig(Path runRoot, Path libRoot, Path cgroupRoot, String cgroupParent, Path procRoot,
                        Path netnsDir, String bridgeName, String bridgeSubnet) {
        this(runRoot, libRoot, cgroupRoot, cgroupParent, procRoot, netnsDir, bridgeName, bridgeSubnet,
                CallerEnvironment.ofThisProcess());
    }

    public static final String DEFAULT_SUBNET = "10.199.0.0/16";

    public static EngineConfig defaults() { return fromEnvironment(Map.of()); }

    public static EngineConfig fromEnvironment(Map<String, String> env) {
        return new EngineConfig(
                Path.of(env.getOrDefault("HUTCH_RUN_ROOT", "/var/run/hutch")),
                Path.of(env.getOrDefault("HUTCH_LIB_ROOT", "/var/lib/hutch")),
                Path.of(env.getOrDefault("HUTCH_CGROUP_ROOT", "/sys/fs/cgroup")),
                env.getOrDefault("HUTCH_CGROUP_PARENT", "hutch"),
                Path.of("/proc"),
                Path.of(env.getOrDefault("HUTCH_NETNS_DIR", "/var/run/netns")),
                env.getOrDefault("HUTCH_BRIDGE", "hutch0"),
                env.getOrDefault("HUTCH_BRIDGE_SUBNET", DEFAULT_SUBNET),
                new CallerEnvironment(env));
    }

    public EngineConfig withRunRoot(Path p) { return new EngineConfig(p, libRoot, cgroupRoot, cgroupParent, procRoot, netnsDir, bridgeName, bridgeSubnet, env); }
    public EngineConfig withLibRoot(Path p) { return new EngineConfig(runRoot, p, cgroupRoot, cgroupParent, procRoot, netnsDir, bridgeName, bridgeSubnet, env); }
    public EngineConfig withCgroupParent(String p) { return new EngineConfig(runRoot, libRoot, cgroupRoot, p, procRoot, netnsDir, bridgeName, bridgeSubnet, env); }
    public EngineConfig withBridge(String name, String subnet) { return new EngineConfig(runRoot, libRoot, cgroupRoot, cgroupParent, procRoot, netnsDir, name, subnet, env); }

    public EngineConfig withEnv(CallerEnvironment e) { return new EngineConfig(runRoot, libRoot, cgroupRoot, cgroupParent, procRoot, netnsDir, bridgeName, bridgeSubnet, e); }

    public Path containersDir() { return runRoot.resolve("containers"); }
    public Path containerStateDir(String id) { return containersDir().resolve(id); }
    /** Per-container files that outlive a reboot of the run root: upper/work dirs, log, etc/hosts. */
    public Path containerDataDir(String id) { return libRoot.resolve("containers").resolve(id); }
    public Path imagesDir() { return libRoot.resolve("images"); }
    public Path layersDir() { return libRoot.resolve("layers"); }
    public Path volumesDir() { return libRoot.resolve("volumes"); }
    public Path networksDir() { return libRoot.resolve("networks"); }
}
