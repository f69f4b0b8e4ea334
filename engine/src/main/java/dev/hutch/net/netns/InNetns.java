package dev.hutch.net.netns;

import dev.hutch.HutchException;
import dev.hutch.sys.Syscalls;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Runs a piece of work inside another network namespace, on a thread of its own.
 *
 * <p>Why a fresh thread: {@code setns} moves only the calling thread, and a JVM thread that moved
 * would take every later task of a pool with it. A fresh platform thread joins the namespace, does
 * the work (typically: open a netlink socket there, configure, close) and ends; the kernel thread
 * ends with it, so no thread of the JVM is ever left in a container's namespace. Costs about
 * 0.1 ms.
 */
public final class InNetns {
    private final Syscalls sys;

    public InNetns(Syscalls sys) { this.sys = sys; }

    /**
     * @param netnsPath {@code /proc/PID/ns/net} or a bind-mounted netns file
     * @param work      gets the Syscalls to use; runs in that namespace
     */
    public <T> T call(String netnsPath, Function<Syscalls, T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                int fd = sys.open(netnsPath, Syscalls.O_RDONLY | Syscalls.O_CLOEXEC);
                try {
                    sys.setns(fd, Syscalls.CLONE_NEWNET);
                } finally {
                    sys.close(fd);
                }
                result.set(work.apply(sys));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "hutch-netns");
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HutchException("interrupted while configuring the network namespace " + netnsPath, e);
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new HutchException(f.getMessage(), f);
        return result.get();
    }

    public void run(String netnsPath, java.util.function.Consumer<Syscalls> work) {
        call(netnsPath, s -> { work.accept(s); return null; });
    }
}
