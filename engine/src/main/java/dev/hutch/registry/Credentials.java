package dev.hutch.registry;

import dev.hutch.HutchException;
import dev.hutch.json.Json;
import dev.hutch.json.JsonReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * A user name and password for a registry, from hutch's own file first (written 0600 by
 * {@code hutch login}, {@link AuthFile}) and then docker's {@code config.json}. Both use docker's form:
 * {@code {"auths": {"HOST[:PORT]": {"auth": base64("user:pass")}}}}; Docker Hub's entry may be
 * keyed {@code https://index.docker.io/v1/}. Credential helpers ({@code credsStore}) are not run.
 */
public record Credentials(String user, String password) {

    public static Credentials lookup(RegistryConfig config, String registry) {
        Credentials c = fromFile(config.authFile(), registry, true);
        return c != null ? c : fromFile(config.dockerConfig(), registry, false);
    }

    public String basicHeader() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static Credentials fromFile(Path file, String registry, boolean mustBePrivate) {
        if (!Files.isRegularFile(file)) return null;
        try {
            if (mustBePrivate) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")))
                    throw new HutchException("credentials file " + file + " is readable by others: chmod 600 " + file);
            }
            JsonReader auths = JsonReader.of(Json.parseObject(Files.readString(file))).object("auths");
            for (Map.Entry<String, Object> e : auths.raw().entrySet()) {
                if (!registry.equals(keyHost(e.getKey()))) continue;
                String auth = JsonReader.of(e.getValue()).string("auth");
                if (auth == null || auth.isEmpty()) continue;
                String plain = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
                int colon = plain.indexOf(':');
                if (colon < 0) throw new HutchException("credentials file " + file + ": the entry for " + registry + " is not base64 of user:password");
                return new Credentials(plain.substring(0, colon), plain.substring(colon + 1));
            }
            return null;
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new HutchException("cannot read credentials file " + file + ": " + e.getMessage() + " (fix or remove it)", e);
        }
    }

    /** "https://index.docker.io/v1/" → "docker.io"; "https://host:5000" → "host:5000". */
    static String keyHost(String key) {
        String k = key.replaceFirst("^https?://", "");
        int slash = k.indexOf('/');
        if (slash >= 0) k = k.substring(0, slash);
        return k.equals("index.docker.io") || k.equals("registry-1.docker.io") ? Reference.DOCKER_HUB : k;
    }

    @Override
    public String toString() { return "Credentials[" + user + "]"; }
}
