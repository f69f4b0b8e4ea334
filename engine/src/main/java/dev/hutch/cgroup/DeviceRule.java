package dev.hutch.cgroup;

import java.util.List;

/**
 * One allow rule of a container's device list: type {@code a} (all), {@code b} or {@code c}, major
 * and minor (-1 for any), access a combination of {@code r}, {@code w}, {@code m}. The same list
 * becomes v1's {@code devices.allow} lines and the v2 device program ({@link DeviceProgram}).
 */
public record DeviceRule(char type, long major, long minor, String access) {

    /** docker's and runc's defaults: mknod of anything, and the standard nodes of a container's /dev. */
    public static final List<DeviceRule> DEFAULTS = List.of(
            new DeviceRule('c', -1, -1, "m"), new DeviceRule('b', -1, -1, "m"),
            new DeviceRule('c', 1, 3, "rwm"),    // /dev/null
            new DeviceRule('c', 1, 5, "rwm"),    // /dev/zero
            new DeviceRule('c', 1, 7, "rwm"),    // /dev/full
            new DeviceRule('c', 1, 8, "rwm"),    // /dev/random
            new DeviceRule('c', 1, 9, "rwm"),    // /dev/urandom
            new DeviceRule('c', 5, 0, "rwm"),    // /dev/tty
            new DeviceRule('c', 5, 1, "rwm"),    // /dev/console
            new DeviceRule('c', 5, 2, "rwm"),    // /dev/ptmx
            new DeviceRule('c', 136, -1, "rwm"), // /dev/pts/*
            new DeviceRule('c', 10, 200, "rwm")  // /dev/net/tun
    );

    /** Everything: {@code --privileged}. */
    public static final DeviceRule ALL = new DeviceRule('a', -1, -1, "rwm");

    /** Every device, every access: what {@code --privileged} (or a rule {@code a *:* rwm}) allows. */
    public boolean isAll() { return type == 'a' && major < 0 && minor < 0 && access.length() == 3; }

    /** v1 {@code devices.allow} syntax: {@code c 1:3 rwm}, {@code a} for everything. */
    public String toV1() {
        if (isAll()) return "a";
        return type + " " + (major < 0 ? "*" : Long.toString(major)) + ":" + (minor < 0 ? "*" : Long.toString(minor)) + " " + access;
    }

    /**
     * The v1 lines for this rule. The kernel reads any line of type {@code a} as "allow everything",
     * whatever its numbers, so a narrower {@code a} rule (e.g. {@code a 1:3 r}) is written as its
     * {@code c} and {@code b} halves, as the v2 program reads it.
     */
    public List<String> toV1Lines() {
        if (type != 'a' || isAll()) return List.of(toV1());
        return List.of(new DeviceRule('c', major, minor, access).toV1(), new DeviceRule('b', major, minor, access).toV1());
    }
}
