package dev.hutch.runtime;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Container ids (64 hex digits, like docker's) and docker-style random names ("brave_turing"). */
public final class NameGenerator {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String[] ADJECTIVES = {"agile", "bold", "brave", "calm", "clever", "eager", "fervent",
            "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "quiet", "rapid", "serene", "steady",
            "swift", "tender", "vivid", "wise", "zealous", "sharp"};
    private static final String[] NAMES = {"babbage", "curie", "dijkstra", "euler", "fermi", "gauss", "hopper",
            "hamilton", "kepler", "knuth", "lamport", "liskov", "lovelace", "noether", "pike", "ritchie", "shannon",
            "thompson", "torvalds", "turing", "wirth", "wozniak", "yonath", "zuse"};

    private NameGenerator() {}

    public static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public static String newName() {
        return ADJECTIVES[RANDOM.nextInt(ADJECTIVES.length)] + "_" + NAMES[RANDOM.nextInt(NAMES.length)]
                + "_" + Integer.toHexString(RANDOM.nextInt(0x1000));
    }
}
