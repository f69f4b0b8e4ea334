package dev.hutch.cli.commands;

import dev.hutch.spec.InvalidSpecException;

import java.util.ArrayList;
import java.util.List;

/**
 * docker's --detach-keys: a comma-separated sequence of keys ("ctrl-p,ctrl-q", the default; a
 * letter, or ctrl- with a letter or one of @[\]^_) that, typed on an attached stdin, detaches and
 * leaves the container running. {@link #feed} finds it in a stream of bytes.
 */
public final class DetachKeys {
    public static final String DEFAULT = "ctrl-p,ctrl-q";
    /** The native monitor's limit (DETACH_KEYS_MAX in launch_file.h). */
    static final int MAX = 32;

    private final byte[] sequence;
    private int matched;

    private DetachKeys(byte[] sequence) { this.sequence = sequence; }

    public static DetachKeys parse(String text) {
        List<Byte> keys = new ArrayList<>();
        for (String k : text.split(",", -1)) {
            String key = k.trim();
            if (key.length() == 1) {
                keys.add((byte) key.charAt(0));
            } else if (key.startsWith("ctrl-") && key.length() == 6 && ctrlKey(key.charAt(5)) >= 0) {
                keys.add((byte) ctrlKey(key.charAt(5)));
            } else {
                throw new InvalidSpecException("--detach-keys", text,
                        "is not a key sequence (use letters or ctrl-<letter|@|[|\\|]|^|_> separated by commas, e.g. ctrl-p,ctrl-q)");
            }
        }
        if (keys.size() > MAX)
            throw new InvalidSpecException("--detach-keys", text, "has more than " + MAX + " keys (use a shorter sequence, e.g. ctrl-p,ctrl-q)");
        byte[] b = new byte[keys.size()];
        for (int i = 0; i < b.length; i++) b[i] = keys.get(i);
        return new DetachKeys(b);
    }

    /** The sequence's bytes, for the monitor of a foreground run (which matches them itself). */
    byte[] bytes() { return sequence.clone(); }

    private static int ctrlKey(char c) {
        char u = Character.toUpperCase(c);
        if (u >= 'A' && u <= 'Z') return u - 'A' + 1;
        int i = "@[\\]^_".indexOf(c);
        return i < 0 ? -1 : (i == 0 ? 0 : 27 + i - 1);
    }

    /**
     * Looks at {@code n} bytes typed; returns how many of them may go to the container (-1: the
     * sequence is complete, detach). Bytes of a partial match are held back until it fails, then
     * sent (docker does the same).
     */
    public int feed(byte[] buf, int n, java.io.ByteArrayOutputStream pass) {
        for (int i = 0; i < n; i++) {
            byte c = buf[i];
            if (c == sequence[matched]) {
                if (++matched == sequence.length) return -1;
                continue;
            }
            if (matched > 0) pass.write(sequence, 0, matched);
            matched = c == sequence[0] ? 1 : 0;
            if (matched == 0) pass.write(c);
            else if (matched == sequence.length) return -1;
        }
        return pass.size();
    }
}
