package dev.hutch.net.nat;

import dev.hutch.HutchException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the iptables programs. Spawning them is the one place hutch's network path leaves Java:
 * talking nf_tables netlink directly is out of scope, and {@code iptables} works on both the legacy
 * and the nft backend. Each operation is batched into one {@code iptables-restore --noflush} run,
 * so a container with ports costs one save and one restore, whatever the number of ports.
 * {@link #forIpv6()} gives the same for the IPv6 ruleset ({@code ip6tables}, {@code ip6tables-save},
 * {@code ip6tables-restore}), whose tables and chains are separate from IPv4's.
 */
public class Iptables {
    private static final long TIMEOUT_SECONDS = 30;
    private final boolean ipv6;

    public Iptables() { this(false); }

    protected Iptables(boolean ipv6) { this.ipv6 = ipv6; }

    public boolean ipv6() { return ipv6; }

    /** The IPv6 twin: the same runner (a test's fake too), with the ip6tables programs. */
    public Iptables forIpv6() {
        Iptables base = this;
        return new Iptables(true) {
            @Override
            protected String run(List<String> argv, String stdin) { return base.run(argv, stdin); }
        };
    }

    private String program(String name) { return ipv6 ? name.replaceFirst("^iptables", "ip6tables") : name; }

    /** The whole ruleset, as {@code iptables-save} prints it. */
    public String save() {
        return run(List.of(program("iptables-save")), null);
    }

    /** Applies a script with {@code iptables-restore -w --noflush}: atomically per table. */
    public void restore(String script) {
        if (script.isEmpty()) return;
        run(List.of(program("iptables-restore"), "-w", "--noflush"), script);
    }

    /** Runs {@code iptables ARGS...} (with {@code -w} if the caller put it there); ip6tables for the IPv6 twin. */
    public void iptables(List<String> argv) {
        List<String> a = new java.util.ArrayList<>(argv);
        a.set(0, program(a.get(0)));
        run(a, null);
    }

    protected String run(List<String> argv, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.redirectErrorStream(true);
        try {
            Process p = pb.start();
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new HutchException(String.join(" ", argv) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new HutchException(String.join(" ", argv) + " failed (exit " + p.exitValue() + "): " + text.strip()
                        + (stdin == null ? "" : "\ninput was:\n" + stdin));
            }
            return text;
        } catch (IOException e) {
            throw new HutchException("cannot run " + argv.get(0) + " (is the iptables package installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while running " + argv.get(0), e);
        }
    }

}
