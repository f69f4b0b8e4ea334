package dev.hutch.dsl.shell;

import groovy.lang.Binding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Completion by where the cursor is: block words, names that exist, paths, commands. */
class ShellCompleterTest {
    @TempDir Path dir;

    private String pending = "";
    private final Binding binding = new Binding();

    private final WorldNames world = new WorldNames() {
        @Override public List<String> containers() { return List.of("web", "db"); }
        @Override public List<String> images() { return List.of("busybox", "samples/site:1.0"); }
        @Override public List<String> networks() { return List.of("none", "lab"); }
        @Override public List<String> volumes() { return List.of("data", "cache"); }
    };

    /** The candidates for the line typed so far (cursor at its end), and where they replace from. */
    private List<String> complete(String line) {
        ShellCompleter c = new ShellCompleter(() -> binding, world, dir, () -> pending);
        List<CharSequence> out = new ArrayList<>();
        c.complete(line, line.length(), out);
        return out.stream().map(CharSequence::toString).toList();
    }

    @Test
    void blockWordsInsideTheirBlocksOnly() {
        assertTrue(complete("container('web') { image 'busybox'; cpu").containsAll(List.of("cpus", "cpuset", "cpuShares", "cpuQuota")));
        assertTrue(complete("container('web') { memo").containsAll(List.of("memory", "memoryReservation", "memorySwap")));
        assertEquals(List.of(), complete("memo"), "memory is no word of the script's top level");
        assertEquals(List.of("subnet"), complete("network('lab') { sub"));
        assertTrue(complete("image('site') { fr").contains("from"));
        assertTrue(complete("conta").contains("container"));
        assertTrue(complete("container('a') { image 'busybox' }; conta").contains("container"), "the block is closed");
    }

    @Test
    void aBlockOpenedOnAnEarlierLineKeepsItsWords() {
        pending = "def web = container('web') {\n    image 'busybox'\n";
        assertTrue(complete("    memo").contains("memory"), complete("    memo").toString());
        pending = "container('web') {\n    env FOO: { -> 1 }\n"; // a closure inside the block
        assertTrue(complete("    pid").contains("pids"));
    }

    @Test
    void namesThatExistInQuotes() {
        assertEquals(List.of("'busybox'"), complete("container('x') { image 'bu"));
        assertEquals(List.of("\"samples/site:1.0\""), complete("image('x') { from \"sam"));
        assertEquals(List.of("'lab'"), complete("container('x') { network 'l"));
        assertEquals(List.of("'data'"), complete("container('x') { volume 'd"));
        assertEquals(List.of("'web'"), complete("logs 'w"));
        assertEquals(List.of("'db'"), complete("def h = container('d"));
    }

    @Test
    void hostPathsInsideVolume() throws Exception {
        Files.createDirectories(dir.resolve("site/css"));
        Files.writeString(dir.resolve("site/index.html"), "x");
        assertEquals(List.of("'./site/"), complete("container('x') { volume './si"), "a directory: no closing quote, to go on into it");
        assertEquals(List.of("'./site/css/", "'./site/index.html'"), complete("container('x') { volume './site/"));
        String abs = dir.resolve("site").toString();
        assertEquals(List.of("'" + abs + "/index.html'"), complete("container('x') { volume '" + abs + "/in"));
    }

    @Test
    void methodsOfAVariableAndCommands() {
        binding.setVariable("words", new ArrayList<>(List.of("a")));
        assertTrue(complete("words.siz").contains("size"));
        assertEquals(List.of(":save"), complete(":sa"));
        assertTrue(complete(":doc memo").contains("memory"));
    }
}
