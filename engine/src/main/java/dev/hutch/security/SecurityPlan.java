package dev.hutch.security;

import dev.hutch.cgroup.DeviceRule;
import dev.hutch.cgroup.v2.DeviceProgram;

import java.util.List;

/**
 * What the security options of one container come to, decided before anything on the host
 * changes (bad input fails here): the capabilities the helper keeps, the seccomp filter (null:
 * none), no_new_privs, the /proc and /sys paths to mask or make read-only, the device allow-list
 * (v1 lines and the v2 program are both made from it) and the {@code --device} nodes to create.
 *
 * @param seccompHex  the filter as the launch file's hex, or null for none
 * @param deviceNodes helper {@code device} values, {@code PATH TYPE MAJOR MINOR MODE}
 */
public record SecurityPlan(List<String> capabilities, String seccompHex, boolean noNewPrivileges,
                           List<String> maskedPaths, List<String> readonlyPaths, boolean sysfsWritable,
                           List<DeviceRule> deviceRules, List<String> deviceNodes, boolean privileged) {

    /** The filter as bytes (struct sock_filter[]), or null: for tests; the launch file takes {@link #seccompHex}. */
    public byte[] seccompFilter() {
        if (seccompHex == null) return null;
        byte[] out = new byte[seccompHex.length() / 2];
        for (int i = 0; i < out.length; i++) out[i] = (byte) Integer.parseInt(seccompHex.substring(2 * i, 2 * i + 2), 16);
        return out;
    }

    /** The v2 device program, or null when every device is allowed (--privileged needs none). */
    public byte[] deviceProgram() {
        return privileged ? null : DeviceProgram.compile(deviceRules);
    }

    public static String hex(byte[] b) {
        char[] digits = "0123456789abcdef".toCharArray();
        char[] out = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            out[2 * i] = digits[(b[i] >> 4) & 0xf];
            out[2 * i + 1] = digits[b[i] & 0xf];
        }
        return new String(out);
    }
}
