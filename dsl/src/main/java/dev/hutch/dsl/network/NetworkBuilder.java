package dev.hutch.dsl.network;

/**
 * The delegate of a {@code network('lab') { subnet '10.123.0.0/24' }} block: the options of
 * {@code hutch network create}.
 */
public final class NetworkBuilder {
    final java.util.List<String> subnets = new java.util.ArrayList<>();
    final java.util.List<String> gateways = new java.util.ArrayList<>();
    int mtu;
    boolean ipv6;

    /** {@code --subnet}: a CIDR; without it the engine picks a free /24. Once more for the IPv6 one of an {@code ipv6} network. */
    public void subnet(String cidr) { subnets.add(cidr); }

    /** {@code --gateway}: the bridge's address in the subnet (default: the first); once per family. */
    public void gateway(String ip) { gateways.add(ip); }

    /** {@code --ipv6}: dual stack (without an IPv6 subnet, the engine picks a free /64). */
    public void ipv6(boolean on) { ipv6 = on; }

    /** {@code ipv6()}: the same as {@code ipv6 true}. */
    public void ipv6() { ipv6 = true; }

    /** The IPv4 subnet asked for, or null. */
    String subnet4() { return subnets.stream().filter(x -> !x.contains(":")).findFirst().orElse(null); }

    /** {@code --mtu}. */
    public void mtu(int value) { mtu = value; }
}
