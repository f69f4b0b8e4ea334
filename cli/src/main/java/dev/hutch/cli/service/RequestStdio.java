package dev.hutch.cli.service;

import org.newsclub.net.unix.FileDescriptorCast;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.FilterOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A request's stdin, stdout and stderr: the client's own fds 0, 1, 2 received with SCM_RIGHTS.
 * The command writes to them directly, as an in-process hutch would. They are this service's
 * copies: {@link #close()} closes them when the request ends (a helper child has its own dups).
 */
final class RequestStdio implements AutoCloseable {
    final InputStream in;
    final PrintStream out, err;
    /** The native numbers, for the engine to dup2 onto its helper processes. */
    final int inFd, outFd, errFd;
    private final FileDescriptor[] fds;
    private final FileInputStream stdinFd;
    private final FileChannel inChannel;
    private volatile boolean muted;

    RequestStdio(FileDescriptor[] fds) throws IOException {
        if (fds == null || fds.length != 3)
            throw new IOException("the client passed " + (fds == null ? 0 : fds.length) + " fds with its hello, not 3 (its stdin, stdout, stderr)");
        this.fds = fds;
        inFd = nativeFd(fds[0]);
        outFd = nativeFd(fds[1]);
        errFd = nativeFd(fds[2]);
        // Read through a FileChannel on a duplicate of fd 0: closing the channel wakes a thread
        // blocked reading it (a plain FileInputStream read on a terminal stays blocked), so a call
        // ended by a signal or by its client going away does not wait on the caller's next
        // keystroke; and fd 0 itself stays open until the call has unwound, so a helper that call
        // still starts never gets a number some other request's fd has taken meanwhile.
        stdinFd = new FileInputStream(fds[0]);
        FileInputStream reader = new FileInputStream(FileDescriptorCast.duplicating(fds[0]).as(FileDescriptor.class));
        inChannel = reader.getChannel();
        in = readThroughChannel(reader, inChannel);
        // As System.out: buffered, flushed at each println, so the order of lines holds.
        out = new PrintStream(new BufferedOutputStream(mutable(new FileOutputStream(fds[1])), 8192), true, Charset.defaultCharset());
        err = new PrintStream(new BufferedOutputStream(mutable(new FileOutputStream(fds[2])), 8192), true, Charset.defaultCharset());
    }

    /**
     * From now on nothing more reaches the caller: its call was ended by a signal or it went
     * away, and an in-process hutch would have died right there, printing nothing more (not the
     * "interrupted" errors the command's unwinding produces).
     */
    void mute() {
        muted = true;
        try {
            inChannel.close(); // a read blocked on it fails now (the shell's line reader waits there)
        } catch (IOException ignored) {
            // closed already
        }
    }

    /**
     * The device of the caller's stdin (e.g. {@code /dev/pts/3}), for what drives a terminal by
     * its path: JLine runs {@code stty} with its stdin redirected from it. {@code /proc/self/fd/N}
     * itself would not do: in that child, "self" is another process. Null when the link does not
     * name the very file received (a pty of another devpts instance, such as a container's, has
     * a path here that is another terminal, or none).
     */
    Path terminalDevice() {
        Path fdLink = Path.of("/proc/self/fd/" + inFd);
        try {
            Path device = Files.readSymbolicLink(fdLink);
            if (!device.startsWith("/dev/")) return null;
            boolean same = Files.getAttribute(fdLink, "unix:dev").equals(Files.getAttribute(device, "unix:dev"))
                    && Files.getAttribute(fdLink, "unix:ino").equals(Files.getAttribute(device, "unix:ino"));
            return same ? device : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private OutputStream mutable(OutputStream fd) {
        return new FilterOutputStream(fd) {
            @Override public void write(int b) throws IOException { if (!muted) out.write(b); }

            @Override public void write(byte[] b, int off, int len) throws IOException { if (!muted) out.write(b, off, len); }
        };
    }

    /**
     * Reads go through the channel; available() asks the stream (FIONREAD), since the JDK's
     * channel stream answers it with a seek, which a pipe or a terminal refuses.
     */
    private static InputStream readThroughChannel(FileInputStream stdin, FileChannel channel) {
        return new InputStream() {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                int n;
                while ((n = read(one, 0, 1)) == 0) Thread.onSpinWait(); // a blocking channel returns at least one byte or -1
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }

            @Override public int available() throws IOException { return stdin.available(); }

            @Override public void close() throws IOException { channel.close(); }
        };
    }

    static int nativeFd(FileDescriptor fd) throws IOException {
        return FileDescriptorCast.using(fd).as(Integer.class);
    }

    /** Flushes what the command printed and closes the three received fds. */
    @Override
    public void close() {
        out.flush();
        err.flush();
        out.close();
        err.close();
        for (AutoCloseable stdin : new AutoCloseable[] {in, stdinFd}) {
            try {
                stdin.close();
            } catch (Exception ignored) {
                // closed already (mute closes the reading side); nothing was buffered on stdin
            }
        }
    }

    /** Closes fds that came with a request the service will not run (a refused or garbled one). */
    static void closeAll(FileDescriptor[] fds) {
        if (fds == null) return;
        for (FileDescriptor fd : fds) {
            try {
                new FileInputStream(fd).close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
