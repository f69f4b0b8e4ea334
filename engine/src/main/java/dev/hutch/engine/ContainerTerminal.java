package dev.hutch.engine;

import dev.hutch.HutchException;
import dev.hutch.state.ContainerState;
import dev.hutch.sys.Fds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The terminal of a running container started with -t, sized from outside. A detached container's
 * pty master is held by its monitor, which nobody can reach once it is detached; but a terminal's
 * size can be set on either end, and the command's stdin is the pty's slave. So the command
 * (init's child) is found, its {@code /proc/PID/fd/0} opened (the same pty, not a new one) and
 * given the size: the kernel then sends SIGWINCH to the terminal's foreground process group, as
 * for a terminal resized by hand. This is docker's resize of a detached tty container.
 */
final class ContainerTerminal {
    private ContainerTerminal() {}

    static void resize(Path procRoot, ContainerState s, int rows, int columns) {
        if (!s.spec().process().tty())
            throw new HutchException("container " + s.name() + " has no terminal to resize (it was not started with -t)");
        Path stdin = commandTerminal(procRoot, s.pid());
        if (stdin == null)
            throw new HutchException("container " + s.name() + ": its command's terminal is gone (the command is ending)");
        int fd = Fds.openTerminal(stdin.toString());
        try {
            Fds.setWindowSize(fd, rows, columns);
        } finally {
            Fds.close(fd);
        }
    }

    /** fd 0 of init's first child whose stdin is a pty: the container's command (exec'd ones are not init's children). */
    private static Path commandTerminal(Path procRoot, long initPid) {
        Path children = procRoot.resolve(initPid + "/task/" + initPid + "/children");
        try {
            for (String pid : Files.readString(children).trim().split("\\s+")) {
                if (pid.isEmpty()) continue;
                Path fd0 = procRoot.resolve(pid + "/fd/0");
                try {
                    if (Files.readSymbolicLink(fd0).toString().startsWith("/dev/pts/")) return fd0;
                } catch (IOException e) {
                    // that child ended meanwhile
                }
            }
        } catch (IOException e) {
            return null; // init ended meanwhile
        }
        return null;
    }
}
