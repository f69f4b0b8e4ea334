package dev.hutch.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by three spaces, as docker prints its tables. */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) { rows.add(header); }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) r[i] = String.valueOf(cells[i]);
        rows.add(r);
        return this;
    }

    public void print(PrintStream out) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) for (int i = 0; i < cols; i++) width[i] = Math.max(width[i], r[i].length());
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                sb.append(r[i]);
                if (i < cols - 1) sb.append(" ".repeat(width[i] - r[i].length() + 3));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
