package dev.hutch.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * docker's events semantics over the journal, for the CLI and the API alike: with a since (or an
 * until) the kept events of that window first; then, unless the until is past, what is appended
 * from now on, until the until comes or the caller stops (interrupted, its client gone).
 */
public final class EventStream {
    static final long POLL_MILLIS = 100;

    private EventStream() {}

    /**
     * @param sinceNano null: no history (only new events); else the first time shown
     * @param untilNano null: follow for ever; else the last time shown (the stream ends then)
     */
    public static void run(EventJournal journal, Long sinceNano, Long untilNano, EventFilter filter,
                           Consumer<Event> sink, BooleanSupplier stopped) throws InterruptedException {
        long until = untilNano == null ? Long.MAX_VALUE : untilNano;
        Tail tail = journal.tail(); // before the history is read: nothing appended meanwhile is missed
        long now = EventClock.nowNanos();
        Set<Event> shown = new HashSet<>();
        if (sinceNano != null || untilNano != null) {
            long since = sinceNano == null ? 0 : sinceNano;
            for (Event e : journal.read(since, Math.min(until, now))) {
                if (filter.admits(e)) sink.accept(e);
                shown.add(e); // the tail may see these again
            }
        }
        long since = sinceNano == null ? 0 : sinceNano;
        while (until > EventClock.nowNanos() - POLL_MILLIS * 1_000_000 && !stopped.getAsBoolean()) {
            List<Event> fresh = tail.poll();
            for (Event e : fresh) {
                if (shown.remove(e) || e.timeNano() < since || e.timeNano() > until) continue;
                if (filter.admits(e)) sink.accept(e);
            }
            if (fresh.isEmpty()) Thread.sleep(POLL_MILLIS);
        }
    }
}
