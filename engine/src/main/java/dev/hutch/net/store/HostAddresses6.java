package dev.hutch.net.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The host's IPv6 addresses as {@code /proc/net/if_inet6} lists them (32 hex digits, ifindex,
 * prefix length in hex, scope, flags, device), so {@code network create --ipv6} can refuse a
 * subnet the host already uses. A pure parser plus one read; no JNA.
 */
final class HostAddresses6 {
    record Address(long[] address, int prefixLength, String device) {}

    private HostAddresses6() {}

    static List<Address> read(Path procRoot) {
        try {
            return parse(Files.readString(procRoot.resolve("net/if_inet6")));
        } catch (IOException e) {
            return List.of(); // IPv6 disabled on the host: nothing to collide with
        }
    }

    static List<Address> parse(String text) {
        List<Address> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 6 || f[0].length() != 32) continue;
            try {
                long hi = HexFormat.fromHexDigitsToLong(f[0].substring(0, 16));
                long lo = HexFormat.fromHexDigitsToLong(f[0].substring(16));
                out.add(new Address(new long[] {hi, lo}, Integer.parseInt(f[2], 16), f[5]));
            } catch (RuntimeException e) {
                // a line of another format: skip it
            }
        }
        return out;
    }
}
