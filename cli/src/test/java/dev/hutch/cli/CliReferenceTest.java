package dev.hutch.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/cli.md is the commands' own help; this fails when a flag changed and the doc did not. */
class CliReferenceTest {

    @Test
    void docsCliMdIsUpToDate() throws Exception {
        Path doc = Path.of(System.getProperty("hutch.repo.root", "..")).resolve("docs/cli.md");
        String expected = CliReference.render();
        if (Boolean.getBoolean("hutch.updateDocs")) Files.writeString(doc, expected);
        String actual = Files.exists(doc) ? Files.readString(doc) : "";
        assertEquals(expected, actual, "docs/cli.md is stale: regenerate it with -Dhutch.updateDocs=true");
    }
}
