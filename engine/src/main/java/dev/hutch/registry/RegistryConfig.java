package dev.hutch.registry;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a registry client finds its trust and its credentials, from the environment (so tests point
 * it at their own dirs):
 * <ul>
 *   <li>{@code HUTCH_CERTS_DIR} (default {@code /etc/hutch/certs.d}): {@code HOST:PORT/*.crt} are CAs
 *       trusted for that registry on top of the system's, as docker's certs.d;</li>
 *   <li>{@code HUTCH_INSECURE_REGISTRIES}: comma-separated {@code HOST:PORT} that may fall back to plain
 *       HTTP (besides loopback hosts, which docker allows too);</li>
 *   <li>{@code HUTCH_AUTH_FILE} (default {@code LIBROOT/auth.json}) and docker's
 *       {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker/config.json}) for credentials.</li>
 * </ul>
 */
public record RegistryConfig(Path certsDir, Set<String> insecure, Path authFile, Path dockerConfig) {

    public static RegistryConfig fromEnvironment(Map<String, String> env, Path libRoot) {
        Path certs = Path.of(env.getOrDefault("HUTCH_CERTS_DIR", "/etc/hutch/certs.d"));
        Set<String> insecure = new HashSet<>();
        String list = env.get("HUTCH_INSECURE_REGISTRIES");
        if (list != null) Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(insecure::add);
        Path auth = env.containsKey("HUTCH_AUTH_FILE") ? Path.of(env.get("HUTCH_AUTH_FILE")) : libRoot.resolve("auth.json");
        Path docker = env.containsKey("DOCKER_CONFIG") ? Path.of(env.get("DOCKER_CONFIG"), "config.json")
                : Path.of(env.getOrDefault("HOME", "/root"), ".docker", "config.json");
        return new RegistryConfig(certs, Set.copyOf(insecure), auth, docker);
    }

    public RegistryConfig withInsecure(java.util.Collection<String> more) {
        Set<String> all = new HashSet<>(insecure);
        all.addAll(more);
        return new RegistryConfig(certsDir, Set.copyOf(all), authFile, dockerConfig);
    }

    /**
     * Whether plain HTTP may be tried for this registry: marked insecure by the user, or a loopback
     * host (docker's default insecure range is 127.0.0.0/8). TLS is always tried first.
     */
    public boolean allowsPlainHttp(String registry) {
        if (insecure.contains(registry)) return true;
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
    }
}
