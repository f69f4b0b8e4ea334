package dev.hutch.bench;

import java.util.Locale;

/**
 * The results as one long-format CSV (workload, setting, metric, value, unit): one shape for every
 * workload, so a spreadsheet or pandas can pivot it without knowing the sections.
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    public static String csv(Results r) {
        StringBuilder sb = new StringBuilder("workload,setting,metric,value,unit\n");
        for (Results.CpuRow c : r.cpu()) {
            String s = "--cpus " + ResultsText.trim(c.quota());
            line(sb, "cpu", s, "quota", num(c.quota()), "cpus");
            line(sb, "cpu", s, "achieved", num(c.achieved()), "cpus");
            line(sb, "cpu", s, "error", num(c.errorPp()), "pp");
            line(sb, "cpu", s, "periods", Long.toString(c.periods()), "");
            line(sb, "cpu", s, "throttled_periods", Long.toString(c.throttledPeriods()), "");
            line(sb, "cpu", s, "host_other", num(c.hostOther()), "cpus");
        }
        for (Results.MemoryRow m : r.memory()) {
            String s = "-m " + m.limit();
            line(sb, "memory", s, "limit", Long.toString(m.limit()), "bytes");
            line(sb, "memory", s, "peak", Long.toString(m.peak()), "bytes");
            line(sb, "memory", s, "oom_kill", Long.toString(m.oomKills()), "");
            line(sb, "memory", s, "oom_killed", Boolean.toString(m.oomKilled()), "");
            line(sb, "memory", s, "exit_code", Integer.toString(m.exitCode()), "");
        }
        if (r.minMemory() != null) {
            line(sb, "memory", "true", "smallest_working_limit", Long.toString(r.minMemory().smallestWorking()), "bytes");
            line(sb, "memory", "true", "largest_failing_limit", Long.toString(r.minMemory().largestFailing()), "bytes");
        }
        for (Results.PidsRow p : r.pids()) {
            String s = "--pids-limit " + p.limit();
            line(sb, "pids", s, "limit", Long.toString(p.limit()), "");
            line(sb, "pids", s, "reached", Long.toString(p.reached()), "");
        }
        if (r.io() != null && r.io().skipped() == null) {
            String s = "--device-write-bps " + r.io().device() + ":" + r.io().limitBps();
            line(sb, "io", s, "limit", Long.toString(r.io().limitBps()), "bytes/s");
            line(sb, "io", s, "achieved", num(r.io().achieved()), "bytes/s");
        }
        return sb.toString();
    }

    private static String num(double d) { return Double.isNaN(d) ? "" : String.format(Locale.ROOT, "%.4f", d); }

    private static void line(StringBuilder sb, String... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(quote(cells[i]));
        }
        sb.append('\n');
    }

    /** RFC 4180: quote a cell with a comma, quote or newline, doubling the quotes inside. */
    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
