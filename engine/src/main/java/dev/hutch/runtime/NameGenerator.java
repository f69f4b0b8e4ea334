package dev.hutch.runtime;

import java.util.HexFormat;

/** Container ids (64 hex digits, like docker's) and docker-style random names ("brave_turing"). */
public final class NameGenerator {
    private static final java.util.Random RANDOM = new java.util.Random();
    private static final String[] ADJECTIVES = {"agile", "bold", "brave", "calm", "clever", "eager", "fervent",
            "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "quiet", "rapid", "serene", "steady",
            "swift", "tender", "vivid", "wise", "zealous", "sharp"};
    private static final String[] NAMES = {"babbage", "curie", "dijkstra", "euler", "fermi", "gauss", "hopper",
            "hamilton", "kepler", "knuth", "lamport", "liskov", "lovelace", "noether", "pike", "ritchie", "shannon",
            "thompson", "torvalds", "turing", "wirth", "wozniak", "yonath", "zuse"};

    private NameGenerator() {}

    /** 32 random bytes from the kernel: reading /dev/urandom directly avoids SecureRandom's slow provider set-up. */
    public static String newId() {
        byte[] b = new byte[32];
        try (java.io.FileInputStream in = new java.io.FileInputStream("/dev/urandom")) {
            if (in.read(b) != b.length) throw new java.io.IOException("short read");
        } catch (java.io.IOException e) {
            RANDOM.nextBytes(b);
        }
        return HexFormat.of().formatHex(b);
    }

    /** Names need no secrecy, only variety; ids are what must be unique. */
    public static String newName() {
        return ADJECTIVES[RANDOM.nextInt(ADJECTIVES.length)] + "_" + NAMES[RANDOM.nextInt(NAMES.length)]
                + "_" + Integer.toHexString(RANDOM.nextInt(0x1000));
    }
}
