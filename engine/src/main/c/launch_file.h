/*
 * The launch file (hutch-helper run) and the exec file (hutch-helper exec): the plan the Java
 * side made. The helper performs it and never decides anything the file could have said.
 * Syntax and keys: docs/helper-protocol.md, "Launch file" and "Exec file".
 */
#ifndef HUTCH_LAUNCH_FILE_H
#define HUTCH_LAUNCH_FILE_H

#include "security.h"

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* The longest --detach-keys sequence (the CLI refuses longer ones). */
#define DETACH_KEYS_MAX 32

/* Mount FLAGS that are not mount(2) flags. */
#define MNT_X_BIND  0x1 /* bind or rbind */
#define MNT_X_MKDIR 0x2 /* create a missing directory target */
#define MNT_X_FILE  0x4 /* create a missing regular file target */

struct mount_spec {
    char *source, *target, *fstype, *data;
    unsigned long flags;       /* MS_* for the mount itself (MS_BIND, MS_REC, MS_RDONLY, ...) */
    unsigned long propagation; /* MS_PRIVATE / MS_SLAVE (| MS_REC), applied after the mount */
    unsigned extra;            /* MNT_X_* */
};

struct device_spec {
    char *path;
    char type; /* 'c' or 'b' */
    unsigned major, minor;
    mode_t mode;
    int has_owner; /* optional UID GID given: chown the node (--privileged copies the host's owners) */
    uid_t uid;
    gid_t gid;
};

struct symlink_spec {
    char *target, *linkpath;
};

struct rlimit_spec {
    int resource;
    struct rlimit lim;
};

struct join_spec {
    int nstype; /* CLONE_NEW* */
    char *path;
};

struct launch {
    int is_exec;

    /* run only */
    char *id, *state_dir, *sync_fifo, *log_path, *oom_file, *hostname, *rootfs;
    int detach, readonly_rootfs, loopback_up;
    pid_t engine_pid; /* the engine that waits on the sync FIFOs; 0: not checked */
    char **exit_args;  /* NULL-terminated; run by the monitor after the exit file (podman's exit command) */
    size_t nexit_args;
    char *exit_when;   /* run the exit command only if this file exists then (the restart policy's mark) */
    char *health_exec; /* exec file of the health check command, written by the engine once init runs */
    unsigned long long health_interval_ms, health_timeout_ms, health_start_ms;
    unsigned health_retries;
    char *proxy6_file; /* "HOSTPORT TARGETIP PORT [tcp|udp]" lines the monitor serves on [::1], written by the engine before go */
    unsigned long long log_max_size; /* rotate the log past this many bytes; 0: no limit */
    unsigned log_max_files;          /* files kept with rotation, the current one included (>= 1) */
    char *event_file;  /* the engine's event journal: the monitor appends the container's die, oom, health_status and resize lines */
    char *event_die;   /* that line after its time and exit code (docs/events.md); both or neither */
    struct join_spec *joins;
    size_t njoins;
    struct mount_spec *mounts;
    size_t nmounts;
    struct device_spec *devices;
    size_t ndevices;
    struct symlink_spec *symlinks;
    size_t nsymlinks;
    char **masked;
    size_t nmasked;
    char **readonly;
    size_t nreadonly;
    struct rlimit_spec *rlimits;
    size_t nrlimits;
    char **idmap_layers;        /* image layers the monitor idmaps for init's user namespace */
    size_t nidmap_layers;
    char *rootfs_overlay;       /* overlay options the monitor mounts on rootfs before "go", or NULL */
    char **idmap_binds;         /* bind sources the monitor idmaps (-v HOST:CTR:idmap), left attached */
    size_t nidmap_binds;
    char **sysctls;             /* "NAME VALUE", NAME dotted; written under /proc/sys by init */
    size_t nsysctls;
    int has_oom_score_adj;      /* oom_score_adj given: init writes it for itself and the command */
    int oom_score_adj;
    char *shm_from;             /* another container's mnt namespace file: its /dev/shm is ours (--ipc container:) */
    char *device_bpf_cgroup;    /* cgroup v2 dir the device program is attached to, or NULL */
    struct bpf_blob device_bpf; /* eBPF BPF_PROG_TYPE_CGROUP_DEVICE */

    /* exec only */
    pid_t pid;
    char *pid_file; /* OCI exec: the command's host pid is written here once it exec'd */

    /* OCI runtime (docs/oci.md): both */
    char *console_socket; /* the pty master goes to this unix socket (SCM_RIGHTS), not to a relay */
    /* run only */
    char *start_fifo;  /* init waits here for `oci start`; the monitor leaves once init is ready */
    int inherit_stdio; /* the command's stdio is the helper's own 0/1/2, not pipes to the monitor */
    int quiet_streams; /* foreground docker run -a: the streams NOT attached to the caller (QUIET_*) */
    int own_session;   /* --sig-proxy=false: the monitor leaves the caller's session, so its Ctrl-C stays the caller's */
    /* foreground -it: typed on the caller's stdin, these bytes detach the monitor from the caller */
    unsigned char detach_keys[DETACH_KEYS_MAX];
    size_t ndetach_keys;

    /* both */
    int tty, stdin_open, no_new_privs;
    int ns_flags; /* CLONE_NEW* of `namespaces` */
    char **cgroup_procs;
    size_t ncgroup_procs;
    char **env; /* NULL-terminated */
    size_t nenv;
    char **args; /* NULL-terminated */
    size_t nargs;
    char *cwd;
    uid_t uid;
    gid_t gid;
    gid_t *groups;
    size_t ngroups;
    uint64_t caps; /* bit N set: keep capability N */
    struct bpf_blob seccomp; /* classic BPF filter; len 0: none */
};

/* Parse `path`; is_exec selects the exec file's key set. Returns 0, or -1 with hutch_err set. */
int launch_parse(const char *path, int is_exec, struct launch *out);

/* "net" -> CLONE_NEWNET, ...; 0 if unknown. */
int ns_flag_from_name(const char *name);

#define QUIET_STDIN 1
#define QUIET_STDOUT 2
#define QUIET_STDERR 4

#endif
