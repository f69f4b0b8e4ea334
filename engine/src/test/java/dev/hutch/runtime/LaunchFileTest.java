package dev.hutch.runtime;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LaunchFileTest {

    @Test
    void escapesNewlinesTabsAndBackslashesSoEveryValueStaysOnOneLine() {
        LaunchFile f = new LaunchFile().put("arg", "sh").put("arg", "-c").put("arg", "echo 'a\nb'\t\\x");
        assertEquals(List.of("version 2", "arg sh", "arg -c", "arg echo 'a\\nb'\\t\\\\x"), f.lines());
        assertEquals(4, f.render().split("\n").length);
    }

    @Test
    void signalsParseByNameAndNumber() {
        assertEquals(9, Signals.parse("KILL"));
        assertEquals(9, Signals.parse("sigkill"));
        assertEquals(1, Signals.parse("HUP"));
        assertEquals(15, Signals.parse("15"));
        assertThrows(dev.hutch.spec.InvalidSpecException.class, () -> Signals.parse("NOPE"));
    }
}
