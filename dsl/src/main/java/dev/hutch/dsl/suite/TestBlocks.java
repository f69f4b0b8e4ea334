package dev.hutch.dsl.suite;

import dev.hutch.dsl.HutchScript;
import dev.hutch.dsl.Sandbox;
import groovy.lang.Binding;
import groovy.lang.Closure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code test('name') { }} blocks of one run of a script under {@code hutch test}: which of
 * them run (one, by name, or every one), each in a sandbox of its own that is taken down when the
 * block ends, whatever the block did, and how each ended.
 */
public final class TestBlocks {
    private final String selected;
    private final String file;
    private final String scriptFile;
    private final boolean debug;
    private final List<TestOutcome> outcomes = new ArrayList<>();

    /**
     * @param selected the one block to run, or null for every block reached
     * @param file     the script as the user named it, for the outcomes
     */
    TestBlocks(String selected, String file, String scriptFile, boolean debug) {
        this.selected = selected;
        this.file = file;
        this.scriptFile = scriptFile;
        this.debug = debug;
    }

    /** Runs the block if it is selected; its failure is recorded, not thrown, so the next block runs. */
    public void run(String name, Closure<?> body, Binding binding) {
        if (selected != null && !selected.equals(name)) return;
        Sandbox outer = (Sandbox) binding.getVariable(HutchScript.SANDBOX);
        Sandbox own = outer.child();
        long start = System.nanoTime();
        Throwable thrown = null;
        binding.setVariable(HutchScript.SANDBOX, own);
        try {
            body.call();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            binding.setVariable(HutchScript.SANDBOX, outer);
            own.close(); // the block's cost includes taking down what it made
        }
        Verdict v = Verdict.of(thrown, scriptFile, debug);
        synchronized (outcomes) {
            outcomes.add(new TestOutcome(file, name, v.status(), Duration.ofNanos(System.nanoTime() - start), v.message(), ""));
        }
    }

    List<TestOutcome> outcomes() {
        synchronized (outcomes) {
            return List.copyOf(outcomes);
        }
    }
}
