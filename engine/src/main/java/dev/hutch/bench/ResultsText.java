package dev.hutch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's results as a text table (limits.txt, and what {@code hutch bench limits} prints). */
public final class ResultsText {
    private ResultsText() {}

    public static String table(Results r) {
        StringBuilder sb = new StringBuilder();
        sb.append("hutch bench limits: ").append(r.startedAt()).append(", took ")
                .append(String.format(Locale.ROOT, "%.1f s", r.took().toMillis() / 1000.0)).append(", ").append(r.host()).append("\n\n");

        sb.append("CPU quota (goal: achieved within ").append(trim(Results.CPU_GOAL_PP)).append(" percentage points of the quota)\n");
        Columns cpu = new Columns("--cpus", "spinners", "achieved", "error", "goal", "throttled periods", "rest of host");
        for (Results.CpuRow c : r.cpu())
            cpu.row(trim(c.quota()), c.spinners(), fmt("%.3f", c.achieved()), fmt("%+.2f pp", c.errorPp()),
                    c.withinGoal() ? "ok" : c.hostLimited() ? "host busy" : "MISSED", c.throttledPeriods() + "/" + c.periods(),
                    Double.isNaN(c.hostOther()) ? "?" : fmt("%.2f cpus", c.hostOther()));
        cpu.appendTo(sb);

        sb.append("\nMemory limit (the workload holds ").append(r.memory().isEmpty() ? "-" : mib(r.memory().get(0).workload())).append(")\n");
        Columns mem = new Columns("-m", "peak usage", "held", "oom_kill", "OOMKilled", "exit");
        for (Results.MemoryRow m : r.memory())
            mem.row(mib(m.limit()), mib(m.peak()), m.held() ? "yes" : "NO", m.oomKills(), m.oomKilled(), m.exitCode());
        mem.appendTo(sb);
        if (r.minMemory() != null) {
            Results.MinMemory mm = r.minMemory();
            sb.append("Smallest -m at which busybox `true` starts: ")
                    .append(mm.smallestWorking() < 0 ? "none up to " + kib(mm.largestFailing()) + " (" + mm.lastFailure() + ")" : kib(mm.smallestWorking()));
            if (mm.largestFailing() >= 0 && mm.smallestWorking() >= 0)
                sb.append(" (fails at ").append(kib(mm.largestFailing())).append(": ").append(mm.lastFailure()).append(")");
            sb.append(", ").append(mm.attempts()).append(" containers\n");
        }

        sb.append("\nPids limit\n");
        Columns pids = new Columns("--pids-limit", "highest count", "held", "fork loop tried");
        for (Results.PidsRow p : r.pids()) pids.row(p.limit(), p.reached(), p.held() ? "yes" : "NO", p.tried());
        pids.appendTo(sb);

        if (r.io() != null) {
            Results.IoRow io = r.io();
            sb.append("\nWrite bandwidth\n");
            if (io.skipped() != null) sb.append("  skipped: ").append(io.skipped()).append('\n');
            else new Columns("device", "--device-write-bps", "achieved", "error")
                    .row(io.device(), mib(io.limitBps()) + "/s", mib((long) io.achieved()) + "/s", fmt("%+.1f %%", io.errorPercent()))
                    .appendTo(sb);
        }
        if (r.cpu().stream().anyMatch(Results.CpuRow::hostLimited))
            sb.append("\n\"host busy\": the quota was rarely exhausted (few throttled periods) while the rest of the host\n"
                    + "used the other cpus; the shortfall is contention, not the limit. Run on an idle machine.\n");
        if (!r.notes().isEmpty()) {
            sb.append("\nNotes\n");
            for (String n : r.notes()) sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }

    /** 0.5 → "0.5", 1.0 → "1". */
    public static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.valueOf(d);
    }

    /** Bytes as MiB with one decimal where needed; "-" when unknown (negative). */
    public static String mib(long bytes) {
        if (bytes < 0) return "-";
        double m = bytes / (1024.0 * 1024.0);
        return (m == Math.rint(m) ? Long.toString((long) m) : fmt("%.1f", m)) + " MiB";
    }

    public static String kib(long bytes) {
        if (bytes < 0) return "-";
        return bytes >= 1024 * 1024 ? mib(bytes) + " (" + bytes / 1024 + " KiB)" : bytes / 1024 + " KiB";
    }

    static String fmt(String f, Object... args) { return String.format(Locale.ROOT, f, args); }

    /** Left-aligned columns, indented by two spaces. */
    static final class Columns {
        private final List<String[]> rows = new ArrayList<>();

        Columns(String... header) { rows.add(header); }

        Columns row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) r[i] = String.valueOf(cells[i]);
            rows.add(r);
            return this;
        }

        void appendTo(StringBuilder sb) {
            int[] w = new int[rows.get(0).length];
            for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder("  ");
                for (int i = 0; i < r.length; i++) line.append(r[i]).append(" ".repeat(w[i] - r[i].length() + 2));
                sb.append(line.toString().stripTrailing()).append('\n');
            }
        }
    }
}
