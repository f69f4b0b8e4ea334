package dev.hutch.dsl;

import groovy.lang.GroovyShell;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The IDE descriptors are in the jar, are valid Groovy, and name classes that exist (a renamed
 * class would otherwise silently break completion in the IDEs).
 */
class IdeDescriptorsTest {
    private static String resource(String path) throws IOException {
        try (InputStream in = IdeDescriptorsTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is not in the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void gdslAndDsldParseAndNameRealClasses() throws Exception {
        for (String path : new String[] {"/dev/hutch/dsl/hutch.gdsl", "/dsld/hutch.dsld"}) {
            String text = resource(path);
            new GroovyShell().parse(text, "descriptor.groovy"); // syntax only
            var m = java.util.regex.Pattern.compile("'(dev\\.hutch\\.[\\w.]+)'").matcher(text);
            int found = 0;
            while (m.find()) {
                Class.forName(m.group(1));
                found++;
            }
            assertTrue(found >= 3, path);
        }
    }
}
