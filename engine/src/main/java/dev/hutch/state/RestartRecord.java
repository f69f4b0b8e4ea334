package dev.hutch.state;

import dev.hutch.json.JsonReader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the restart policy ({@code --restart}) has done to one container, kept in its record.
 *
 * @param count            docker's RestartCount: restarts made by the policy since the user's last start
 * @param manuallyStopped  docker's HasBeenManuallyStopped: a {@code stop}, {@code kill} or {@code rm -f}
 *                         by the user; the policy never restarts such a container (until the user starts it)
 * @param delayMillis      the last backoff (docker's: 100 ms, doubled at each restart, back to 100 ms
 *                         after a run of 10 s or more, at most a minute)
 * @param restarterPid     the hutch process carrying out a restart right now (waiting its backoff, then
 *                         starting the container), with its start time; 0 when none. {@code rm -f},
 *                         {@code stop} and {@code kill} end it, so a restart loop stops at any moment
 */
public record RestartRecord(int count, boolean manuallyStopped, long delayMillis, long restarterPid, long restarterStartTime) {
    public static final RestartRecord EMPTY = new RestartRecord(0, false, 0, 0, 0);

    public RestartRecord withManuallyStopped(boolean v) { return new RestartRecord(count, v, delayMillis, restarterPid, restarterStartTime); }

    public RestartRecord withRestarter(long pid, long startTime) { return new RestartRecord(count, manuallyStopped, delayMillis, pid, startTime); }

    public RestartRecord restarted(long delay, long pid, long startTime) { return new RestartRecord(count + 1, false, delay, pid, startTime); }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("manuallyStopped", manuallyStopped);
        m.put("delayMillis", delayMillis);
        m.put("restarterPid", restarterPid);
        m.put("restarterStartTime", restarterStartTime);
        return m;
    }

    public static RestartRecord fromJson(Object json) {
        if (json == null) return EMPTY;
        JsonReader r = JsonReader.of(json);
        return new RestartRecord((int) r.number("count", 0), r.bool("manuallyStopped", false), r.number("delayMillis", 0),
                r.number("restarterPid", 0), r.number("restarterStartTime", 0));
    }
}
