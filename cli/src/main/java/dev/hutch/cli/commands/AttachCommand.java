package dev.hutch.cli.commands;

import dev.hutch.HutchException;
import dev.hutch.NotFoundException;
import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.runtime.AttachSocket;
import dev.hutch.state.ContainerState;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * hutch attach: this terminal's stdin, stdout and stderr joined to a running detached container,
 * through its monitor's attach socket (docs/helper-protocol.md "Attach socket"): its output from
 * now on, and what is typed goes to its stdin when it was started with -i. The detach keys leave it
 * running ("read escape sequence", exit 1, as docker); otherwise hutch ends with the container and
 * exits with its code. With --sig-proxy (the default) a Ctrl-C goes to the container.
 */
public final class AttachCommand implements Command {
    public String name() { return "attach"; }
    public String summary() { return "Attach local standard input, output, and error streams to a running container"; }
    public String usage() { return "attach [OPTIONS] CONTAINER"; }

    public Flags flags() {
        return new Flags(name()).bool("no-stdin", null, "Do not attach STDIN")
                .value("sig-proxy", null, "Proxy all received signals to the process (true|false, default true)")
                .value("detach-keys", null, "Override the key sequence for detaching a container (default \"ctrl-p,ctrl-q\")");
    }

    public int run(Context ctx, Flags.Parsed a) {
        if (a.positional().size() != 1) throw new HutchException("\"hutch attach\" requires exactly 1 argument: CONTAINER");
        DetachKeys keys = DetachKeys.parse(a.value("detach-keys", DetachKeys.DEFAULT));
        boolean sigProxy = SigProxy.parse(a.value("sig-proxy"));
        String ref = a.positional().get(0);
        ContainerState s;
        try {
            s = ctx.engine().inspect(ref);
        } catch (NotFoundException e) {
            throw NotFoundException.container("No such container: " + ref);
        }
        if (s.status() == dev.hutch.state.ContainerStatus.PAUSED)
            throw new HutchException(1, "You cannot attach to a paused container, unpause it first", null);
        if (!s.isRunning()) throw new HutchException(1, "You cannot attach to a stopped container, start it first", null);
        Path stateDir = ctx.engine().states().dir(s.id());
        if (!AttachSocket.exists(stateDir))
            throw new HutchException(1, "container " + s.name() + " runs in the foreground of another hutch (only a detached container"
                    + " can be attached to): see `hutch logs -f " + s.name() + "`", null);
        boolean tty = s.spec().process().tty();
        boolean stdin = !a.bool("no-stdin") && s.spec().process().interactive();
        try (SocketChannel ch = AttachSocket.connect(stateDir)) {
            ctx.engine().containerEvent("attach", s, java.util.Map.of()); // docker's, once connected
            if (sigProxy) ctx.signals().onInterrupt(() -> {
                ctx.engine().kill(s.id(), "INT");
                return true;
            });
            RawTerminal raw = tty && stdin && ctx.stdinIsTerminal() ? RawTerminal.enter(ctx.invocation().terminalDevice()) : null;
            if (tty && ctx.stdinIsTerminal()) { // docker attach's resize: ours now, and whenever ours changes
                Runnable resize = () -> resizeToOurs(ctx, s);
                ctx.signals().onWindowChange(resize);
                resize.run();
            }
            boolean[] detached = new boolean[1];
            try {
                if (stdin) {
                    Thread in = new Thread(() -> pumpStdin(ctx.in(), keys, ch, detached), "hutch-attach-stdin");
                    in.setDaemon(true);
                    in.start();
                }
                AttachSocket.readFrames(ch, (stream, data) -> {
                    java.io.PrintStream to = stream == 2 ? ctx.err() : ctx.out();
                    to.write(data, 0, data.length);
                    to.flush();
                });
            } finally {
                if (raw != null) raw.restore();
            }
            if (detached[0]) {
                ctx.err().println("read escape sequence");
                return 1;
            }
        } catch (IOException e) {
            throw new HutchException("cannot attach to " + s.name() + ": " + e.getMessage(), e);
        }
        return ctx.engine().waitFor(s.id());
    }

    /** The container's pty gets the size of the caller's terminal, with docker's resize event. */
    private static void resizeToOurs(Context ctx, ContainerState s) {
        java.nio.file.Path device = ctx.invocation().terminalDevice();
        try {
            int fd = dev.hutch.sys.Fds.openTerminal(device != null ? device.toString() : "/proc/self/fd/0");
            int[] size;
            try {
                size = dev.hutch.sys.Fds.windowSize(fd);
            } finally {
                dev.hutch.sys.Fds.close(fd);
            }
            if (size[0] == 0 && size[1] == 0) return; // a terminal nobody sized (a bare pty): nothing to pass on
            ctx.engine().resizeTerminal(s.id(), size[0], size[1]);
            ctx.engine().containerEvent("resize", s, java.util.Map.of("height", Integer.toString(size[0]), "width", Integer.toString(size[1])));
        } catch (RuntimeException e) {
            // the container or our terminal is ending: the attach ends with it
        }
    }

    private static void pumpStdin(InputStream in, DetachKeys keys, SocketChannel ch, boolean[] detached) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                ByteArrayOutputStream pass = new ByteArrayOutputStream();
                int ok = keys.feed(buf, n, pass);
                if (pass.size() > 0) AttachSocket.write(ch, pass.toByteArray(), 0, pass.size());
                if (ok < 0) {
                    detached[0] = true;
                    ch.close(); // the output relay ends; the container runs on
                    return;
                }
            }
        } catch (IOException e) {
            // the container ended meanwhile
        }
    }
}
