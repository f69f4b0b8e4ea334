package dev.hutch.dsl.container;

/**
 * What a command left behind: its exit code and its output. {@code web.exec('cat', '/etc/hostname').output},
 * {@code run().exitCode}. Printing it prints the output.
 *
 * @param oomKilled true when the kernel's OOM killer ended the container (only for {@code run})
 */
public record Outcome(int exitCode, String output, String error, boolean oomKilled) {

    public int getExitCode() { return exitCode; }

    public String getOutput() { return output; }

    public String getError() { return error; }

    public boolean isOomKilled() { return oomKilled; }

    /** Exit code 0. */
    public boolean isOk() { return exitCode == 0; }

    @Override
    public String toString() { return output; }
}
