package dev.hutch.cli.commands;

import dev.hutch.cli.Context;
import dev.hutch.image.LocalImageStore;

import java.math.BigDecimal;
import java.math.MathContext;

/** What the image verbs share: the engine's image store, and docker's way of printing ids and sizes. */
final class ImageStores {
    private ImageStores() {}

    static LocalImageStore of(Context ctx) {
        return ctx.engine().images();
    }

    /** "sha256:abcdef..." → "abcdef012345", as docker's tables show ids. */
    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** docker's sizes: powers of 1000, four significant digits ("4.261MB", "512B"). */
    static String humanSize(long bytes) { return humanSize(bytes, 4); }

    /** docker's sizes with {@code digits} significant digits (ps's SIZE uses three: "4.26MB"). */
    static String humanSize(long bytes, int digits) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
        return new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros().toPlainString() + units[u];
    }
}
