package dev.hutch.cli.commands;

import dev.hutch.cli.Command;
import dev.hutch.cli.Context;
import dev.hutch.cli.Flags;
import dev.hutch.cli.SpecFlags;
import dev.hutch.engine.Started;
import dev.hutch.spec.ContainerSpec;

/** hutch run: create and start a container; in the foreground, return its exit code. */
public final class RunCommand implements Command {
    public String name() { return "run"; }
    public String summary() { return "Create and run a new container from an image"; }
    public String usage() { return "run [OPTIONS] IMAGE [COMMAND] [ARG...]"; }

    public Flags flags() {
        return SpecFlags.declare(ImplicitPull.declare(new Flags(name()).bool("detach", "d", "Run container in background and print container ID")
                        .value("cidfile", null, "Write the container ID to the file (refused if the file exists)")
                        .value("attach", "a", "Attach to STDIN, STDOUT or STDERR (repeatable; default all)")
                        .value("sig-proxy", null, "Proxy received signals to the process (true|false, default true)")
                        .value("detach-keys", null, "Override the key sequence for detaching a container (default \"ctrl-p,ctrl-q\"; acts with -it)")))
                .stopAtFirstPositional();
    }

    public int run(Context ctx, Flags.Parsed a) {
        boolean detach = a.bool("detach");
        // docker's checks of the foreground flags, before anything else is looked at
        java.util.Set<String> quiet = AttachedStreams.notAttached(a.values("attach"));
        if (detach && a.has("attach")) throw new dev.hutch.HutchException("Conflicting options: -a and -d");
        boolean sigProxy = SigProxy.parse(a.value("sig-proxy"));
        DetachKeys keys = DetachKeys.parse(a.value("detach-keys", DetachKeys.DEFAULT));
        ContainerSpec spec = SpecFlags.toSpec(ctx, a, a.positional());
        String image = ImplicitPull.beforeRun(ctx, a, spec.image(), dev.hutch.rootfs.BusyboxImage.NAME);
        if (!image.equals(spec.image())) {
            java.util.List<String> byId = new java.util.ArrayList<>(a.positional());
            byId.set(0, image);
            spec = SpecFlags.toSpec(ctx, a, byId);
        }
        CgroupV2Notes.warn(ctx, spec);
        if (detach && spec.autoRemove() && spec.process().tty() && spec.process().interactive()) {
            // fine: docker allows -dit --rm as well
        }
        // --cidfile: refused if it exists, before anything is created (docker's rule); removed if the run fails
        CidFile cid = a.has("cidfile") ? CidFile.reserve(ctx.path(a.value("cidfile"))) : null;
        if (!detach && sigProxy) ctx.signals().keepForTheChild();
        if (!detach) ctx.engine().foreground(quiet, !sigProxy).detachKeys(keys.bytes());
        Started started;
        try {
            started = ctx.engine().run(spec, detach);
        } catch (RuntimeException e) {
            if (cid != null) cid.discard();
            throw e;
        }
        if (cid != null) cid.write(started.id());
        if (detach) {
            ctx.out().println(started.id());
            return 0;
        }
        // --sig-proxy=false: the caller's signals end hutch as they would, the container runs on
        if (sigProxy) ctx.signals().forwardTo(started.monitor());
        return ctx.engine().waitForExit(started);
    }
}
