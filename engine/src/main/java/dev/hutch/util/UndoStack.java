package dev.hutch.util;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The undo half of "small steps, each with its undo": every step that changed the host pushes how
 * to take the change back; on failure {@link #undoAll} runs them in reverse order, and one undo
 * that fails does not stop the others.
 */
public final class UndoStack {
    private record Step(String what, Runnable undo) {}

    private final Deque<Step> steps = new ArrayDeque<>();

    public void push(String what, Runnable undo) { steps.push(new Step(what, undo)); }

    /** Forgets every step: the operation succeeded and its changes stay. */
    public void commit() { steps.clear(); }

    /** @return the failures, described, for the error message (empty if all went well) */
    public List<String> undoAll() {
        List<String> failures = new ArrayList<>();
        while (!steps.isEmpty()) {
            Step s = steps.pop();
            try {
                s.undo.run();
            } catch (RuntimeException e) {
                failures.add("undo of " + s.what + " failed: " + e.getMessage());
            }
        }
        return failures;
    }
}
