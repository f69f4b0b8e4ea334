package dev.hutch.dsl.shell;

import java.nio.file.Path;

/**
 * Where the shell's user types: a terminal it edits lines on, or none (plain lines, as piped
 * input gives). The caller decides, from its own view of its stdin and stdout; the shell never
 * asks {@code System.console()}, which in the engine service describes the service, not the caller.
 *
 * @param device      the caller's terminal device (e.g. {@code /dev/pts/3}) on which JLine runs
 *                    {@code stty}, or null for JLine's default, this process's own {@code /dev/tty}
 * @param type        the caller's {@code TERM}, or null for this process's
 * @param historyFile where the typed lines are kept between sessions
 */
public record ShellTerminal(boolean interactive, Path device, String type, Path historyFile) {
    /** Plain lines: piped input, {@code --dumb}, or no terminal on both stdin and stdout. */
    public static ShellTerminal none() { return new ShellTerminal(false, null, null, null); }

    /** Line editing on the caller's terminal; history in {@code HOME/.hutch_history}. */
    public static ShellTerminal at(Path device, String type, Path home) {
        return new ShellTerminal(true, device, type, home.resolve(".hutch_history"));
    }
}
