package dev.hutch.sys;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;

/**
 * A fake {@link Syscalls} for unit tests: records every call as a readable line (and every sent
 * buffer), and answers {@code recv} from a script: either queued buffers, or a function from the
 * last sent request to its answer (handy for netlink, whose answers echo the request's sequence).
 */
public final class RecordingSyscalls implements Syscalls {
    public final List<String> calls = new ArrayList<>();
    public final List<byte[]> sent = new ArrayList<>();
    private final Deque<byte[]> replies = new ArrayDeque<>();
    private Function<byte[], byte[]> responder;
    private int nextFd = 100;

    /** Queues the next answer to {@code recv}. */
    public RecordingSyscalls reply(byte[] data) {
        replies.add(data);
        return this;
    }

    /** Answers each {@code recv} by computing from the last sent buffer. */
    public RecordingSyscalls respondWith(Function<byte[], byte[]> f) {
        this.responder = f;
        return this;
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        calls.add("socket(" + domain + ", " + type + ", " + protocol + ")");
        return nextFd++;
    }

    @Override
    public void setsockoptInt(int fd, int level, int name, int value) {
        calls.add("setsockopt(" + fd + ", " + level + ", " + name + ", " + value + ")");
    }

    @Override
    public void send(int fd, byte[] buf, int len) {
        calls.add("send(" + fd + ", " + len + ")");
        sent.add(Arrays.copyOf(buf, len));
    }

    @Override
    public int recv(int fd, byte[] buf) {
        calls.add("recv(" + fd + ")");
        byte[] next = !replies.isEmpty() ? replies.poll()
                : responder != null && !sent.isEmpty() ? responder.apply(sent.get(sent.size() - 1)) : null;
        if (next == null) throw new SyscallException("recv", 11, "(the fake has no scripted reply)");
        System.arraycopy(next, 0, buf, 0, next.length);
        return next.length;
    }

    @Override
    public int open(String path, int flags) {
        calls.add("open(" + path + ")");
        return nextFd++;
    }

    @Override
    public void close(int fd) {
        calls.add("close(" + fd + ")");
    }

    @Override
    public void setns(int fd, int nstype) {
        calls.add("setns(" + fd + ", " + nstype + ")");
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        calls.add("mount(" + source + ", " + target + ", " + fstype + ", " + flags + ")");
    }

    @Override
    public void umount2(String target, int flags) {
        calls.add("umount2(" + target + ", " + flags + ")");
    }

    @Override
    public void kill(int pid, int signal) {
        calls.add("kill(" + pid + ", " + signal + ")");
    }

    /** Like a kernel before 5.3: hutch must fall back. */
    @Override
    public int pidfdOpen(int pid) {
        calls.add("pidfd_open(" + pid + ")");
        throw new SyscallException("pidfd_open", SyscallException.ENOSYS, "pid " + pid);
    }

    @Override
    public boolean pollIn(int fd, int timeoutMillis) {
        calls.add("poll(" + fd + ", " + timeoutMillis + ")");
        return false;
    }
}
