package dev.hutch.net;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The kernel settings the bridge networks need, written only when they differ (a write that
 * changes nothing still wakes the kernel's notifiers):
 * <ul>
 *   <li>{@code net.ipv4.ip_forward = 1}: containers reach beyond the host, and published ports
 *       answer to other machines. Docker sets it too.</li>
 *   <li>{@code net.ipv4.conf.<bridge>.route_localnet = 1}, on hutch's bridges only: a port
 *       published on 127.0.0.1 is DNAT'd to a container while its source is still 127.0.0.1, and
 *       the kernel drops such a packet on a non-loopback device unless this is set for it.</li>
 *   <li>On dual-stack networks, {@code net.ipv6.conf.all.forwarding = 1} (outbound IPv6 through the
 *       host, as docker sets it; note it makes the host ignore router advertisements on links whose
 *       {@code accept_ra} is 1), and per bridge or container interface {@code disable_ipv6 = 0},
 *       {@code accept_dad = 0}: the gateway and container addresses are usable at once.</li>
 * </ul>
 * Keys under {@code net} are per network namespace: written from a thread inside a container's
 * namespace, they set that namespace's value.
 */
final class Sysctls {
    private final Path procSys;

    Sysctls(Path procRoot) { this.procSys = procRoot.resolve("sys"); }

    void enableForwarding() { ensure("net/ipv4/ip_forward", "1"); }

    void enableRouteLocalnet(String bridge) { ensure("net/ipv4/conf/" + bridge + "/route_localnet", "1"); }

    void enableIpv6Forwarding() { ensure("net/ipv6/conf/all/forwarding", "1"); }

    /** IPv6 on for a link, with no duplicate address detection, so its address is not "tentative". */
    void enableIpv6Now(String link) {
        ensure("net/ipv6/conf/" + link + "/disable_ipv6", "0");
        ensure("net/ipv6/conf/" + link + "/accept_dad", "0");
    }

    private void ensure(String key, String value) {
        Path p = procSys.resolve(key);
        try {
            if (Files.readString(p).trim().equals(value)) return;
            Files.writeString(p, value);
        } catch (NoSuchFileException e) {
            throw new HutchException("the kernel setting " + key.replace('/', '.') + " does not exist (" + p + ")", e);
        } catch (IOException e) {
            throw new HutchException("cannot set " + key.replace('/', '.') + " = " + value + ": " + e.getMessage(), e);
        }
    }
}
