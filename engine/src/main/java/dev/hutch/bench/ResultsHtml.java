package dev.hutch.bench;

/** A self-contained HTML page: the chart inline (no external file, no script) and the text table. */
public final class ResultsHtml {
    private ResultsHtml() {}

    public static String page(Results r, String svg) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>hutch bench limits</title>\n"
                + "<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px auto;max-width:1000px;color:#1a202c}"
                + "pre{background:#f7fafc;border:1px solid #e2e8f0;border-radius:8px;padding:12px;overflow-x:auto;font-size:13px}"
                + "svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n"
                + "<h1>hutch bench limits</h1>\n<p>" + LimitsChart.esc(r.startedAt() + " · " + r.host()) + "</p>\n"
                + svg
                + "<h2>Table</h2>\n<pre>" + LimitsChart.esc(ResultsText.table(r)) + "</pre>\n"
                + "<p>How it is measured: each workload runs in a fresh busybox container; cpu from the cgroup's usage counter "
                + "over a fixed window after a warm-up; memory peak and OOM kills from the memory cgroup, OOMKilled from inspect; "
                + "pids from pids.current; write bandwidth from the cgroup's written-bytes counter.</p>\n"
                + "</body>\n</html>\n";
    }
}
