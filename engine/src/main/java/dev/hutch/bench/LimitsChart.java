package dev.hutch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results drawn as one hand-written SVG (no library): four panels in a 2×2 grid.
 * <ul>
 *   <li>cpu: achieved against quota, with the ideal diagonal and the ±goal band, so a point off
 *       the band stands out;</li>
 *   <li>memory, pids, io: the limit (grey) next to what the workload reached (colour), with the
 *       OOM kill marked.</li>
 * </ul>
 */
public final class LimitsChart {
    static final int W = 960, H = 700, PANEL_W = 450, PANEL_H = 310;
    private static final String LIMIT = "#b8bec6", CPU = "#2b6cb0", MEM = "#dd6b20", PIDS = "#805ad5", IO = "#2f855a",
            OK = "#2f855a", BAD = "#c53030", BUSY = "#d69e2e", FONT = "font-family=\"Helvetica, Arial, sans-serif\"";

    private LimitsChart() {}

    public static String svg(Results r) {
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" ").append(FONT).append(">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        text(s, W / 2.0, 28, "hutch bench limits — how well each cgroup limit holds", 18, "middle", "#1a202c", true);
        text(s, W / 2.0, 48, r.host(), 12, "middle", "#4a5568", false);
        cpuPanel(s, r, 20, 70);
        memoryPanel(s, r, 490, 70);
        pidsPanel(s, r, 20, 385);
        ioPanel(s, r, 490, 385);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void cpuPanel(StringBuilder s, Results r, double x0, double y0) {
        frame(s, x0, y0, "CPU: achieved vs --cpus (band: ±" + ResultsText.trim(Results.CPU_GOAL_PP) + " pp)");
        double max = 0.5;
        for (Results.CpuRow c : r.cpu()) max = Math.max(max, Math.max(c.quota(), c.achieved()));
        max = Math.ceil((max + 0.1) * 4) / 4; // room on the right for the last label
        Plot p = new Plot(x0 + 55, y0 + 50, PANEL_W - 80, PANEL_H - 100, max, max);
        p.gridY(s, ticks(max));
        for (double t : ticks(max)) text(s, p.x(t), p.bottom + 16, ResultsText.trim(t), 11, "middle", "#4a5568", false);
        text(s, p.left + p.w / 2, p.bottom + 34, "--cpus (quota)", 12, "middle", "#2d3748", false);
        axisLabelY(s, p, "cpus used (cgroup counter)");
        double lx = x0 + 14, ly = y0 + 36;
        String[][] legend = {{OK, "within goal"}, {BUSY, "host busy (quota not reached)"}, {BAD, "missed"}};
        for (String[] l : legend) {
            s.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", lx + 5, ly + 5, l[0]));
            text(s, lx + 14, ly + 9, l[1], 11, "start", "#4a5568", false);
            lx += 28 + l[1].length() * 5.6;
        }
        double band = Results.CPU_GOAL_PP / 100;
        s.append(fmt("<polygon points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f\" fill=\"#c6f6d5\" opacity=\"0.7\"/>\n",
                p.x(0), p.y(band), p.x(max), p.y(Math.min(max, max + band)), p.x(max), p.y(max - band), p.x(band), p.y(0)));
        s.append(fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#718096\" stroke-dasharray=\"5,4\"/>\n",
                p.x(0), p.y(0), p.x(max), p.y(max)));
        for (Results.CpuRow c : r.cpu()) {
            String color = c.withinGoal() ? OK : c.hostLimited() ? BUSY : BAD;
            s.append(fmt("<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"><title>--cpus %s: %.3f cpus (%+.2f pp)</title></circle>\n",
                    p.x(c.quota()), p.y(c.achieved()), color, ResultsText.trim(c.quota()), c.achieved(), c.errorPp()));
            text(s, p.x(c.quota()) + 8, p.y(c.achieved()) + 14, fmt("%+.2f pp", c.errorPp()), 11, "start", color, false);
        }
        if (r.cpu().isEmpty()) empty(s, p);
    }

    private static void memoryPanel(StringBuilder s, Results r, double x0, double y0) {
        frame(s, x0, y0, "Memory: peak usage vs -m (workload holds " + (r.memory().isEmpty() ? "-" : ResultsText.mib(r.memory().get(0).workload())) + ")");
        List<Bar> bars = new ArrayList<>();
        for (Results.MemoryRow m : r.memory())
            bars.add(new Bar(ResultsText.mib(m.limit()), m.limit() / 1048576.0, m.peak() / 1048576.0,
                    m.oomKilled() || m.oomKills() > 0 ? "OOM killed" : "exit " + m.exitCode()));
        String foot = r.minMemory() == null || r.minMemory().smallestWorking() < 0 ? null
                : "busybox `true` starts from -m " + ResultsText.kib(r.minMemory().smallestWorking());
        bars(s, x0, y0, bars, MEM, "MiB", "limit", "peak", foot);
    }

    private static void pidsPanel(StringBuilder s, Results r, double x0, double y0) {
        frame(s, x0, y0, "Pids: highest process count vs --pids-limit");
        List<Bar> bars = new ArrayList<>();
        for (Results.PidsRow p : r.pids())
            bars.add(new Bar(Long.toString(p.limit()), p.limit(), p.reached(), "tried " + p.tried()));
        bars(s, x0, y0, bars, PIDS, "processes", "limit", "reached", null);
    }

    private static void ioPanel(StringBuilder s, Results r, double x0, double y0) {
        frame(s, x0, y0, "Write bandwidth vs --device-write-bps");
        Results.IoRow io = r.io();
        if (io == null || io.skipped() != null) {
            String why = io == null ? "not measured" : "skipped: " + io.skipped();
            int line = 0;
            for (String part : wrap(why, 60)) text(s, x0 + PANEL_W / 2.0, y0 + 140 + 16 * line++, part, 12, "middle", "#718096", false);
            return;
        }
        List<Bar> bars = List.of(new Bar(io.device(), io.limitBps() / 1048576.0, io.achieved() / 1048576.0,
                fmt("%+.1f %%", io.errorPercent())));
        bars(s, x0, y0, bars, IO, "MiB/s", "limit", "achieved", null);
    }

    /** One category: the limit and what was reached, with a note above. */
    record Bar(String label, double limit, double reached, String note) {}

    private static void bars(StringBuilder s, double x0, double y0, List<Bar> bars, String color, String unit,
                             String limitName, String reachedName, String foot) {
        double max = 1;
        for (Bar b : bars) max = Math.max(max, Math.max(b.limit, b.reached));
        max = niceCeil(max * 1.15);
        Plot p = new Plot(x0 + 55, y0 + 58, PANEL_W - 80, PANEL_H - 108, 1, max);
        p.gridY(s, ticks(max));
        axisLabelY(s, p, unit);
        if (bars.isEmpty()) { empty(s, p); return; }
        double slot = p.w / bars.size(), bw = Math.min(44, slot / 3);
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            double cx = p.left + slot * (i + 0.5);
            rect(s, cx - bw - 2, p.y(b.limit), bw, p.bottom - p.y(b.limit), LIMIT, limitName + " " + num(b.limit) + " " + unit);
            double reached = Math.max(0, b.reached);
            rect(s, cx + 2, p.y(reached), bw, p.bottom - p.y(reached), color, reachedName + " " + num(b.reached) + " " + unit);
            text(s, cx + 2 + bw / 2, p.y(reached) - 5, b.reached < 0 ? "?" : num(b.reached), 11, "middle", "#1a202c", false);
            text(s, cx, p.bottom + 16, b.label, 11, "middle", "#2d3748", false);
            text(s, cx, p.bottom + 31, b.note, 11, "middle", b.note.startsWith("OOM") ? BAD : "#4a5568", false);
        }
        // Legend on its own line under the title, so a long title never runs into it.
        double lx = x0 + 14, ly = y0 + 36;
        rect(s, lx, ly, 10, 10, LIMIT, null);
        text(s, lx + 14, ly + 9, limitName, 11, "start", "#4a5568", false);
        rect(s, lx + 70, ly, 10, 10, color, null);
        text(s, lx + 84, ly + 9, reachedName, 11, "start", "#4a5568", false);
        if (foot != null) text(s, p.left + p.w / 2, p.bottom + 48, foot, 11, "middle", "#2d3748", false);
    }

    /** Maps data to pixels inside a panel: x from 0..xMax, y from 0..yMax upwards. */
    private static final class Plot {
        final double left, top, w, h, bottom, xMax, yMax;

        Plot(double left, double top, double w, double h, double xMax, double yMax) {
            this.left = left; this.top = top; this.w = w; this.h = h; this.bottom = top + h; this.xMax = xMax; this.yMax = yMax;
        }

        double x(double v) { return left + v / xMax * w; }

        double y(double v) { return bottom - Math.min(v, yMax) / yMax * h; }

        void gridY(StringBuilder s, List<Double> ticks) {
            for (double t : ticks) {
                s.append(fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#edf2f7\"/>\n", left, y(t), left + w, y(t)));
                text(s, left - 6, y(t) + 4, num(t), 11, "end", "#4a5568", false);
            }
            s.append(fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#a0aec0\"/>\n", left, bottom, left + w, bottom));
            s.append(fmt("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#a0aec0\"/>\n", left, top, left, bottom));
        }
    }

    private static void frame(StringBuilder s, double x0, double y0, String title) {
        s.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"8\" fill=\"#f7fafc\" stroke=\"#e2e8f0\"/>\n", x0, y0, PANEL_W, PANEL_H));
        text(s, x0 + 14, y0 + 22, title, 13, "start", "#1a202c", true);
    }

    private static void axisLabelY(StringBuilder s, Plot p, String label) {
        s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" fill=\"#4a5568\" text-anchor=\"middle\" transform=\"rotate(-90 %.1f %.1f)\">%s</text>\n",
                p.left - 40, p.top + p.h / 2, p.left - 40, p.top + p.h / 2, esc(label)));
    }

    private static void empty(StringBuilder s, Plot p) {
        text(s, p.left + p.w / 2, p.top + p.h / 2, "no measurement", 12, "middle", "#718096", false);
    }

    private static void rect(StringBuilder s, double x, double y, double w, double h, String fill, String title) {
        s.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" rx=\"2\">", x, y, w, Math.max(0, h), fill));
        if (title != null) s.append("<title>").append(esc(title)).append("</title>");
        s.append("</rect>\n");
    }

    static void text(StringBuilder s, double x, double y, String t, int size, String anchor, String color, boolean bold) {
        s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" fill=\"%s\" text-anchor=\"%s\"%s>%s</text>\n",
                x, y, size, color, anchor, bold ? " font-weight=\"bold\"" : "", esc(t)));
    }

    /** Four or five round ticks from 0 to max. */
    static List<Double> ticks(double max) {
        double step = niceCeil(max / 4);
        List<Double> out = new ArrayList<>();
        for (double t = 0; t <= max + 1e-9; t += step) out.add(Math.round(t * 1000) / 1000.0);
        return out;
    }

    /** The smallest 1, 2, 2.5 or 5 × 10^n not below v. */
    static double niceCeil(double v) {
        if (v <= 0) return 1;
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) if (m * mag >= v - 1e-12) return m * mag;
        return 10 * mag;
    }

    private static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && line.length() > 0) { out.add(line.toString()); line.setLength(0); }
            if (line.length() > 0) line.append(' ');
            line.append(word);
        }
        if (line.length() > 0) out.add(line.toString());
        return out;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) return Long.toString((long) v);
        return Math.abs(v) >= 10 ? fmt("%.1f", v) : fmt("%.2f", v);
    }

    static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String fmt(String f, Object... a) { return String.format(Locale.ROOT, f, a); }
}
