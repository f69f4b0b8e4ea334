package dev.hutch.oci;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import dev.hutch.HutchException;

/**
 * {@code run}: create, start, and wait in the foreground, as {@code runc run}. To wait for init,
 * which the helper's monitor leaves behind when it exits, this JVM becomes a child subreaper first
 * (init is then re-parented to us) and waits for it with waitpid.
 */
public final class OciRun {
    private static final int PR_SET_CHILD_SUBREAPER = 36;

    private final OciHost host;

    public OciRun(OciHost host) { this.host = host; }

    /** @return the container's exit code (128+N when init died of signal N) */
    public int run(OciCreate.Request req, boolean keep, java.util.function.Consumer<String> warn) {
        Function prctl = Function.getFunction("c", "prctl");
        if (prctl.invokeInt(new Object[] {PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L}) != 0)
            throw new HutchException("cannot become a child subreaper to wait for the container");
        OciState s = new OciCreate(host, warn).create(req);
        OciRuntime runtime = new OciRuntime(host, warn);
        try {
            runtime.start(req.id());
            Memory status = new Memory(4);
            Function waitpid = Function.getFunction("c", "waitpid");
            int r;
            do {
                r = waitpid.invokeInt(new Object[] {(int) s.pid(), status, 0});
            } while (r < 0 && com.sun.jna.Native.getLastError() == 4 /* EINTR */);
            if (r < 0) throw new HutchException("cannot wait for container init (pid " + s.pid() + ")");
            int st = status.getInt(0);
            int sig = st & 0x7f;
            return sig == 0 ? (st >> 8) & 0xff : 128 + sig;
        } finally {
            if (!keep) runtime.delete(req.id(), true);
        }
    }
}
