package dev.hutch.dsl;

/**
 * Finds where in a script something happened. Groovy compiles a script and its closures to classes
 * whose stack frames carry the script's file name and line, so the first frame with that file name
 * is the script line the user wrote: that is what an error message should point at, not hutch's
 * own code.
 */
public final class ScriptLines {
    private ScriptLines() {}

    /** The script frame of a throwable (or of its causes), or null when it did not pass through the script. */
    public static StackTraceElement frameIn(Throwable t, String scriptFile) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (StackTraceElement e : c.getStackTrace()) {
                if (scriptFile.equals(e.getFileName()) && e.getLineNumber() > 0) return e;
            }
            if (c.getCause() == c) break;
        }
        return null;
    }

    /** The script line that is calling hutch right now, or null outside a script. */
    public static StackTraceElement caller(String scriptFile) {
        return frameIn(new Throwable(), scriptFile);
    }

    public static String where(String scriptFile, StackTraceElement frame) {
        return frame == null ? scriptFile : scriptFile + ":" + frame.getLineNumber();
    }
}
