package dev.hutch.sys;

/**
 * The kernel calls hutch makes from Java, behind one small seam (the way youki keeps its
 * {@code Syscall} trait): {@link JnaSyscalls} is the real one, and unit tests use a recording fake
 * ({@code RecordingSyscalls} in the test sources) so code above the seam runs without root.
 *
 * <p>Every method either succeeds or throws {@link SyscallException} with the call's name and
 * errno. Keep this interface small: add a method only when a caller needs it, with the C signature
 * in its comment.
 */
public interface Syscalls {

    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;

    /** {@code setns} nstype for a network namespace. */
    int CLONE_NEWNET = 0x40000000;

    long MS_BIND = 0x1000;
    int MNT_DETACH = 2;

    /** {@code int socket(int domain, int type, int protocol)} */
    int socket(int domain, int type, int protocol);

    /** {@code int setsockopt(int fd, int level, int name, const int *value, sizeof(int))} */
    void setsockoptInt(int fd, int level, int name, int value);

    /** {@code ssize_t send(int fd, const void *buf, size_t len, 0)}; a short send is an error. */
    void send(int fd, byte[] buf, int len);

    /** {@code ssize_t recv(int fd, void *buf, size_t len, 0)}: the number of bytes received. */
    int recv(int fd, byte[] buf);

    /** {@code int open(const char *path, int flags)} */
    int open(String path, int flags);

    /** {@code int close(int fd)} */
    void close(int fd);

    /** {@code int setns(int fd, int nstype)}: moves only the calling thread. */
    void setns(int fd, int nstype);

    /** {@code int mount(const char *source, const char *target, const char *fstype, unsigned long flags, const void *data)} */
    void mount(String source, String target, String fstype, long flags, String data);

    /** {@code int umount2(const char *target, int flags)} */
    void umount2(String target, int flags);

    /** {@code int kill(pid_t pid, int sig)} */
    void kill(int pid, int signal);

    /**
     * pidfd_open(2) (Linux 5.3): an fd that {@link #pollIn} reports readable once the process has
     * exited. A SyscallException with ENOSYS on older kernels (hutch supports 4.6 and later), ESRCH
     * if there is no such process.
     */
    int pidfdOpen(int pid);

    /**
     * poll(2) of one fd for POLLIN.
     *
     * @param timeoutMillis -1 to wait without a limit
     * @return true if the fd became readable (or hung up) within the time, false on timeout
     */
    boolean pollIn(int fd, int timeoutMillis);

    /** The implementation for this process; loads JNA on first use. */
    static Syscalls jna() { return JnaSyscalls.INSTANCE; }
}
