package dev.hutch.dsl.network;

/**
 * The delegate of a {@code network('lab') { subnet '10.123.0.0/24' }} block: the options of
 * {@code hutch network create}.
 */
public final class NetworkBuilder {
    String subnet;
    String gateway;
    int mtu;

    /** {@code --subnet}: a CIDR; without it the engine picks a free /24. */
    public void subnet(String cidr) { subnet = cidr; }

    /** {@code --gateway}: the bridge's address in the subnet (default: the first). */
    public void gateway(String ip) { gateway = ip; }

    /** {@code --mtu}. */
    public void mtu(int value) { mtu = value; }
}
