package dev.hutch.cgroup.v1;

import dev.hutch.cgroup.CgroupDir;
import dev.hutch.cgroup.CgroupWrite;
import dev.hutch.cgroup.Controller;
import dev.hutch.spec.Resources;

import java.util.ArrayList;
import java.util.List;

/**
 * v1 {@code devices}: the allow-list docker and runc give every container. Deny all first, then
 * allow: mknod of any node (the rootfs may need it; using the node is what is checked), the
 * standard /dev nodes, the pty master and slaves, and /dev/net/tun.
 */
public final class DevicesV1 implements Controller {
    static final String DENY = "devices.deny", ALLOW = "devices.allow";

    static final List<String> DEFAULT_ALLOW = List.of(
            "c *:* m", "b *:* m",
            "c 1:3 rwm",    // /dev/null
            "c 1:5 rwm",    // /dev/zero
            "c 1:7 rwm",    // /dev/full
            "c 1:8 rwm",    // /dev/random
            "c 1:9 rwm",    // /dev/urandom
            "c 5:0 rwm",    // /dev/tty
            "c 5:1 rwm",    // /dev/console
            "c 5:2 rwm",    // /dev/ptmx
            "c 136:* rwm",  // /dev/pts/*
            "c 10:200 rwm"  // /dev/net/tun
    );

    @Override public String name() { return "devices"; }

    @Override public int version() { return 1; }

    @Override
    public List<CgroupWrite> defaults(CgroupDir dir) {
        List<CgroupWrite> writes = new ArrayList<>();
        writes.add(CgroupWrite.internal(dir, DENY, "a"));
        for (String rule : DEFAULT_ALLOW) writes.add(CgroupWrite.internal(dir, ALLOW, rule));
        return writes;
    }

    @Override public List<CgroupWrite> plan(Resources r, CgroupDir dir) { return List.of(); }
}
