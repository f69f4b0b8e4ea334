package dev.hutch.junit5;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels and names the extension gives its containers. Every container carries the JVM's run
 * id, pid, test class, test and field, so that what a killed JVM left can be found and removed
 * ({@code docs/junit5.md}); names are unique per container so tests may run in parallel.
 */
final class ContainerLabels {
    static final String PREFIX = "dev.hutch.junit5.";
    static final String RUN = PREFIX + "run", PID = PREFIX + "pid", CLASS = PREFIX + "class", TEST = PREFIX + "test",
            FIELD = PREFIX + "field";

    private static final SecureRandom RANDOM = new SecureRandom();
    /** This JVM's test run: one id for every container it starts. */
    static final String RUN_ID = hex(6);

    private ContainerLabels() {}

    /** @param test the test method's name, or null for a per-class container */
    static Map<String, String> of(Class<?> testClass, String test, String field) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(RUN, RUN_ID);
        m.put(PID, Long.toString(ProcessHandle.current().pid()));
        m.put(CLASS, testClass.getName());
        m.put(TEST, test == null ? "" : test);
        m.put(FIELD, field);
        return m;
    }

    /** {@code j5-<field>-<10 hex>}: readable in {@code hutch ps}, and never the same twice. */
    static String name(String field) {
        String f = field.toLowerCase().replaceAll("[^a-z0-9_.-]", "-");
        if (f.length() > 24) f = f.substring(0, 24);
        return "j5-" + f + "-" + hex(5);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
