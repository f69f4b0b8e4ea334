/*
 * Tests of launch_file.c, the parser of the launch file (hutch-helper run) and the exec file
 * (hutch-helper exec) that the engine writes (docs/helper-protocol.md): a good file with every
 * key of each kind, values with escapes, malformed lines, overlong values and files, and each
 * missing required key. Each refusal must be one clear message in hutch_err. Needs no root.
 * Run by `make test`.
 */
#define _GNU_SOURCE
#include "../../main/c/launch_file.h"
#include "../../main/c/util.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

static int passed, failed;
static char dir[] = "/tmp/hutch-launch-test-XXXXXX";
static char path[256];

static void check(int ok, const char *what, int line)
{
    if (ok) {
        passed++;
    } else {
        printf("FAIL line %d: %s (hutch_err: %s)\n", line, what, hutch_err);
        failed++;
    }
}
#define CHECK(cond) check((cond), #cond, __LINE__)
#define STREQ(a, b) check((a) && !strcmp((a), (b)), #a " == " #b, __LINE__)

static int parse(const char *text, int is_exec, struct launch *l)
{
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f)) {
        perror(path);
        exit(2);
    }
    hutch_err[0] = 0;
    return launch_parse(path, is_exec, l);
}

/* The file must be refused, and the message must contain `needle`. */
static void refused(const char *text, int is_exec, const char *needle, int line)
{
    struct launch l;
    int r = parse(text, is_exec, &l);
    if (r == -1 && strstr(hutch_err, needle)) {
        passed++;
    } else {
        printf("FAIL line %d: wanted a refusal mentioning \"%s\", got %d (hutch_err: %s)\n", line, needle, r, hutch_err);
        failed++;
    }
}
#define REFUSED(text, is_exec, needle) refused((text), (is_exec), (needle), __LINE__)

/* A minimal good run file; tests append one line to it. */
#define RUN_HEAD "version 2\nstate_dir /run/c1\nsync_fifo /run/c1/sync\nrootfs /var/lib/c1/merged\nnamespaces pid,mnt\n"
#define RUN_MIN RUN_HEAD "arg true\n"
#define EXEC_MIN "version 2\npid 42\narg true\n"

static void every_run_key(void)
{
    struct launch l;
    const char *text =
        "version 2\n"
        "id c1\n"
        "state_dir /run/c1\n"
        "sync_fifo /run/c1/sync\n"
        "detach 1\n"
        "tty 0\n"
        "stdin 1\n"
        "log_path /var/lib/c1/c1-json.log\n"
        "namespaces pid,mnt,uts,ipc,net,cgroup\n"
        "join_ns user /proc/7/ns/user\n"
        "cgroup_procs /sys/fs/cgroup/memory/hutch/c1/cgroup.procs\n"
        "cgroup_procs /sys/fs/cgroup/pids/hutch/c1/cgroup.procs\n"
        "oom_file /sys/fs/cgroup/memory/hutch/c1/memory.oom_control\n"
        "hostname box\n"
        "rootfs /var/lib/c1/merged\n"
        "mount overlay\t/\toverlay\t\tlowerdir=/l/1,upperdir=/u,workdir=/w\n"
        "mount /host/data\t/data\t\trbind,mkdir,ro,rprivate\t\n"
        "mount /etc/c1/hosts\t/etc/hosts\t\tbind,file,nosuid,nodev,noexec\t\n"
        "device /dev/null c 1 3 0666\n"
        "device /dev/sda b 8 0 0660\n"
        "symlink /proc/self/fd /dev/fd\n"
        "masked_path /proc/kcore\n"
        "readonly_path /proc/sys\n"
        "readonly_rootfs 1\n"
        "env PATH=/bin\n"
        "env NOTE=a\\nb\\tc\\\\d\n"
        "cwd /srv\n"
        "uid 1000\n"
        "gid 100\n"
        "additional_gid 10\n"
        "additional_gid 20\n"
        "cap CAP_KILL\n"
        "cap net_admin\n"
        "rlimit NOFILE 1024 4096\n"
        "rlimit RLIMIT_CORE 0 unlimited\n"
        "sysctl kernel.shmmax 1073741824\n"
        "sysctl kernel.sem 250 32000 100 128\n"
        "oom_score_adj -300\n"
        "no_new_privs 1\n"
        "arg sh\n"
        "arg -c\n"
        "arg echo 'x\\ny'\n"
        "loopback_up 1\n"
        "seccomp 0600000000000000\n"
        "cgroup_device_bpf b700000000000000 /sys/fs/cgroup/hutch/c1\n"
        "engine_pid 4242\n"
        "exit_arg /usr/bin/hutch\n"
        "exit_arg rm\n"
        "log_max_size 20971520\n"
        "log_max_files 5\n";
    CHECK(parse(text, 0, &l) == 0);
    CHECK(!l.is_exec);
    STREQ(l.id, "c1");
    STREQ(l.state_dir, "/run/c1");
    STREQ(l.sync_fifo, "/run/c1/sync");
    CHECK(l.detach == 1);
    CHECK(l.tty == 0);
    CHECK(l.stdin_open == 1); /* detached -i: the monitor keeps a pipe to it for attach clients */
    STREQ(l.log_path, "/var/lib/c1/c1-json.log");
    CHECK(l.ns_flags == (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP));
    CHECK(l.njoins == 1 && l.joins[0].nstype == CLONE_NEWUSER);
    STREQ(l.joins[0].path, "/proc/7/ns/user");
    CHECK(l.ncgroup_procs == 2);
    STREQ(l.cgroup_procs[1], "/sys/fs/cgroup/pids/hutch/c1/cgroup.procs");
    STREQ(l.oom_file, "/sys/fs/cgroup/memory/hutch/c1/memory.oom_control");
    STREQ(l.hostname, "box");
    STREQ(l.rootfs, "/var/lib/c1/merged");
    CHECK(l.nmounts == 3);
    STREQ(l.mounts[0].source, "overlay");
    STREQ(l.mounts[0].target, "/");
    STREQ(l.mounts[0].fstype, "overlay");
    STREQ(l.mounts[0].data, "lowerdir=/l/1,upperdir=/u,workdir=/w");
    CHECK(l.mounts[0].flags == 0 && l.mounts[0].extra == 0);
    CHECK(l.mounts[1].flags == (MS_BIND | MS_REC | MS_RDONLY));
    CHECK(l.mounts[1].propagation == (MS_PRIVATE | MS_REC));
    CHECK(l.mounts[1].extra == (MNT_X_BIND | MNT_X_MKDIR));
    STREQ(l.mounts[1].fstype, "");
    CHECK(l.mounts[2].flags == (MS_BIND | MS_NOSUID | MS_NODEV | MS_NOEXEC));
    CHECK(l.mounts[2].extra == (MNT_X_BIND | MNT_X_FILE));
    CHECK(l.ndevices == 2);
    STREQ(l.devices[1].path, "/dev/sda");
    CHECK(l.devices[1].type == 'b' && l.devices[1].major == 8 && l.devices[1].minor == 0 && l.devices[1].mode == 0660);
    CHECK(l.devices[0].type == 'c' && l.devices[0].major == 1 && l.devices[0].minor == 3 && l.devices[0].mode == 0666);
    CHECK(l.nsymlinks == 1);
    STREQ(l.symlinks[0].target, "/proc/self/fd");
    STREQ(l.symlinks[0].linkpath, "/dev/fd");
    CHECK(l.nmasked == 1);
    STREQ(l.masked[0], "/proc/kcore");
    CHECK(l.nreadonly == 1);
    STREQ(l.readonly[0], "/proc/sys");
    CHECK(l.readonly_rootfs == 1);
    CHECK(l.nenv == 2 && l.env[2] == NULL);
    STREQ(l.env[1], "NOTE=a\nb\tc\\d");
    STREQ(l.cwd, "/srv");
    CHECK(l.uid == 1000 && l.gid == 100);
    CHECK(l.ngroups == 2 && l.groups[0] == 10 && l.groups[1] == 20);
    CHECK(l.caps == ((1ULL << 5) | (1ULL << 12))); /* CAP_KILL 5, CAP_NET_ADMIN 12 */
    CHECK(l.nrlimits == 2);
    CHECK(l.rlimits[0].resource == RLIMIT_NOFILE && l.rlimits[0].lim.rlim_cur == 1024 && l.rlimits[0].lim.rlim_max == 4096);
    CHECK(l.rlimits[1].resource == RLIMIT_CORE && l.rlimits[1].lim.rlim_cur == 0 && l.rlimits[1].lim.rlim_max == RLIM_INFINITY);
    CHECK(l.nsysctls == 2);
    STREQ(l.sysctls[0], "kernel.shmmax 1073741824");
    STREQ(l.sysctls[1], "kernel.sem 250 32000 100 128");
    CHECK(l.has_oom_score_adj && l.oom_score_adj == -300);
    CHECK(l.no_new_privs == 1);
    CHECK(l.nargs == 3 && l.args[3] == NULL);
    STREQ(l.args[2], "echo 'x\ny'");
    CHECK(l.loopback_up == 1);
    CHECK(l.seccomp.len == 8 && l.seccomp.code[0] == 0x06);
    STREQ(l.device_bpf_cgroup, "/sys/fs/cgroup/hutch/c1");
    CHECK(l.device_bpf.len == 8 && l.device_bpf.code[0] == 0xb7);
    CHECK(l.engine_pid == 4242);
    CHECK(l.nexit_args == 2 && l.exit_args[2] == NULL);
    STREQ(l.exit_args[1], "rm");
    CHECK(l.log_max_size == 20971520ULL);
    CHECK(l.log_max_files == 5);
}

static void defaults_of_a_minimal_run_file(void)
{
    struct launch l;
    CHECK(parse(RUN_MIN, 0, &l) == 0);
    STREQ(l.cwd, "/");
    CHECK(l.log_max_files == 1);
    CHECK(l.log_max_size == 0);
    CHECK(l.engine_pid == 0);
    CHECK(l.nexit_args == 0 && l.exit_args == NULL);
    CHECK(l.nenv == 0 && l.env && l.env[0] == NULL);
    CHECK(l.log_path == NULL && l.oom_file == NULL);
    /* blank lines (a trailing newline, or several) are tolerated */
    CHECK(parse(RUN_HEAD "\narg true\n\n\n", 0, &l) == 0);
    /* a key alone is an empty value */
    CHECK(parse(RUN_MIN "log_path\n", 0, &l) == 0 && l.log_path == NULL);
}

static void every_exec_key(void)
{
    struct launch l;
    const char *text =
        "version 2\n"
        "pid 4242\n"
        "namespaces ipc,uts,net,pid,cgroup,mnt\n"
        "cgroup_procs /sys/fs/cgroup/pids/hutch/c1/cgroup.procs\n"
        "tty 1\n"
        "stdin 1\n"
        "env TERM=xterm\n"
        "cwd /tmp\n"
        "uid 33\n"
        "gid 33\n"
        "additional_gid 44\n"
        "cap CAP_CHOWN\n"
        "no_new_privs 0\n"
        "seccomp 0600000000000000\n"
        "arg id\n";
    CHECK(parse(text, 1, &l) == 0);
    CHECK(l.is_exec);
    CHECK(l.pid == 4242);
    CHECK(l.ns_flags == (CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWCGROUP | CLONE_NEWNS));
    CHECK(l.ncgroup_procs == 1);
    CHECK(l.tty == 1 && l.stdin_open == 1);
    STREQ(l.env[0], "TERM=xterm");
    STREQ(l.cwd, "/tmp");
    CHECK(l.uid == 33 && l.gid == 33 && l.ngroups == 1 && l.groups[0] == 44);
    CHECK(l.caps == (1ULL << 0));
    CHECK(l.no_new_privs == 0);
    CHECK(l.seccomp.len == 8);
    STREQ(l.args[0], "id");
    /* run-only keys are refused in an exec file, and the other way round */
    REFUSED(EXEC_MIN "rootfs /x\n", 1, "unknown key \"rootfs\"");
    REFUSED(EXEC_MIN "mount a\t/b\t\t\t\n", 1, "unknown key \"mount\"");
    REFUSED(RUN_MIN "pid 42\n", 0, "unknown key \"pid\"");
}

static void malformed_lines(void)
{
    REFUSED("arg true\n", 0, "first line must be \"version 2\"");
    REFUSED("", 0, "first line must be \"version 2\"");
    REFUSED("version 1\narg true\n", 0, "version must be the first line and be 2");
    REFUSED(RUN_MIN "version 2\n", 0, "version must be the first line");
    REFUSED(RUN_MIN "colour blue\n", 0, "unknown key \"colour\"");
    REFUSED(RUN_MIN "Arg x\n", 0, "unknown key \"Arg\"");
    REFUSED(RUN_MIN "arg bad\\qescape\n", 0, "bad escape in value of arg");
    REFUSED(RUN_MIN "arg trailing\\\n", 0, "bad escape");
    REFUSED(RUN_MIN "detach yes\n", 0, "detach must be 0 or 1");
    REFUSED(RUN_MIN "tty 2\n", 0, "tty must be 0 or 1");
    REFUSED(RUN_MIN "readonly_rootfs\n", 0, "readonly_rootfs must be 0 or 1");
    REFUSED(RUN_HEAD "namespaces pid,mnt,time\narg x\n", 0, "unknown namespace \"time\"");
    REFUSED(RUN_MIN "join_ns net\n", 0, "join_ns must be \"TYPE PATH\"");
    REFUSED(RUN_MIN "join_ns time /proc/1/ns/time\n", 0, "join_ns: unknown namespace");
    REFUSED(RUN_MIN "mount a\t/b\tc\n", 0, "mount needs 5 tab-separated fields");
    REFUSED(RUN_MIN "mount a\t/b\tc\td\te\tf\n", 0, "mount needs 5 tab-separated fields");
    REFUSED(RUN_MIN "mount a\tb\t\t\t\n", 0, "mount target must be absolute");
    REFUSED(RUN_MIN "mount a\t/b\t\tbind,shiny\t\n", 0, "unknown mount flag \"shiny\"");
    REFUSED(RUN_MIN "device /dev/x c 1\n", 0, "device must be");
    REFUSED(RUN_MIN "device dev/x c 1 3 0666\n", 0, "device must be");
    REFUSED(RUN_MIN "device /dev/x p 1 3 0666\n", 0, "device must be");
    REFUSED(RUN_MIN "device /dev/x c 1 3 0666 extra\n", 0, "device owner must be \"UID GID\"");
    REFUSED(RUN_MIN "device /dev/x c 1 3 0666 0 0 extra\n", 0, "device must be");
    REFUSED(RUN_MIN "device /dev/x c 1 3 0999\n", 0, "device mode must be octal");
    REFUSED(RUN_MIN "device /dev/x c 1 3 17777\n", 0, "device mode must be octal");
    REFUSED(RUN_MIN "symlink /proc/self/fd\n", 0, "symlink must be \"TARGET LINKPATH\"");
    REFUSED(RUN_MIN "symlink /proc/self/fd dev/fd\n", 0, "symlink must be");
    REFUSED(RUN_MIN "env NOEQUALS\n", 0, "env must be K=V");
    REFUSED(RUN_MIN "uid -1\n", 0, "uid is not a valid id");
    REFUSED(RUN_MIN "gid abc\n", 0, "gid is not a valid id");
    REFUSED(RUN_MIN "additional_gid 1.5\n", 0, "additional_gid is not a valid id");
    REFUSED(RUN_MIN "cap CAP_FLY\n", 0, "unknown capability \"CAP_FLY\"");
    REFUSED(RUN_MIN "rlimit NOFILE 10\n", 0, "rlimit must be \"NAME SOFT HARD\"");
    REFUSED(RUN_MIN "rlimit WINGS 1 2\n", 0, "unknown rlimit \"WINGS\"");
    REFUSED(RUN_MIN "rlimit NOFILE x 2\n", 0, "bad rlimit value");
    REFUSED(RUN_MIN "rlimit NOFILE 4096 1024\n", 0, "soft value above hard value");
    REFUSED(RUN_MIN "sysctl kernel.shmmax\n", 0, "sysctl must be \"NAME VALUE\"");
    REFUSED(RUN_MIN "sysctl net/../../x 1\n", 0, "sysctl must be");
    REFUSED(RUN_MIN "sysctl net..x 1\n", 0, "sysctl name has an empty part");
    REFUSED(RUN_MIN "oom_score_adj 1001\n", 0, "oom_score_adj must be -1000 to 1000");
    REFUSED(RUN_MIN "oom_score_adj x\n", 0, "oom_score_adj must be");
    REFUSED(RUN_MIN "seccomp 06000000\n", 0, "whole 8-byte instructions");
    REFUSED(RUN_MIN "seccomp 060000000000000g\n", 0, "is not hex");
    REFUSED(RUN_MIN "cgroup_device_bpf b700000000000000\n", 0, "cgroup_device_bpf must be \"HEX CGROUP_DIR\"");
    REFUSED(RUN_MIN "cgroup_device_bpf b700000000000000 relative\n", 0, "cgroup_device_bpf must be");
    REFUSED(RUN_MIN "engine_pid 0\n", 0, "bad engine_pid");
    REFUSED(RUN_MIN "engine_pid 12ab\n", 0, "bad engine_pid");
    REFUSED(RUN_MIN "exit_arg hutch\nexit_arg rm\n", 0, "exit_arg must start with an absolute program path");
    REFUSED(RUN_MIN "log_max_size -5\n", 0, "bad log_max_size");
    REFUSED(RUN_MIN "log_max_files 0\n", 0, "log_max_files must be 1 to 100");
    REFUSED(RUN_MIN "log_max_files 101\n", 0, "log_max_files must be 1 to 100");
    REFUSED(RUN_HEAD "cwd relative\narg x\n", 0, "cwd must be absolute");
    REFUSED("version 2\npid x\narg true\n", 1, "bad pid");
    REFUSED("version 2\npid 0\narg true\n", 1, "bad pid");
    /* a NUL byte inside the file: written by hand, since the helper's text would stop there */
    {
        FILE *f = fopen(path, "w");
        fwrite("version 2\narg a\0b\n", 1, 18, f);
        fclose(f);
        struct launch l;
        hutch_err[0] = 0;
        check(launch_parse(path, 0, &l) == -1 && strstr(hutch_err, "contains a NUL byte"), "NUL byte refused", __LINE__);
    }
}

static void overlong_values(void)
{
    /* Values have no length limit of their own: a 1 MiB argument (an inline script) arrives
     * whole; only the file as a whole is capped (4 MiB). */
    size_t big = 1 << 20;
    char *text = malloc(big + 256);
    strcpy(text, RUN_HEAD "arg ");
    size_t at = strlen(text);
    memset(text + at, 'x', big);
    strcpy(text + at + big, "\n");
    struct launch l;
    CHECK(parse(text, 0, &l) == 0);
    CHECK(l.nargs == 1 && strlen(l.args[0]) == big);

    /* numbers past their range */
    REFUSED(RUN_MIN "uid 4294967295\n", 0, "uid is not a valid id");
    REFUSED(RUN_MIN "uid 99999999999999999999999\n", 0, "uid is not a valid id");
    REFUSED(RUN_MIN "log_max_size 99999999999999999999999\n", 0, "bad log_max_size");
    REFUSED(RUN_MIN "engine_pid 1073741824\n", 0, "bad engine_pid");
    REFUSED(RUN_MIN "device /dev/x c 4096 0 0666\n", 0, "device must be");
    REFUSED(RUN_MIN "device /dev/x c 1 1048576 0666\n", 0, "device must be");
    CHECK(parse(RUN_MIN "uid 4294967294\n", 0, &l) == 0 && l.uid == 4294967294U);

    /* an overlong bad value: refused, and the message stays within its buffer, still terminated */
    memcpy(text + at - 4, "cap ", 4);
    CHECK(parse(text, 0, &l) == -1);
    CHECK(strlen(hutch_err) < HUTCH_ERR_MAX && strstr(hutch_err, "unknown capability"));

    /* a file past 4 MiB is refused before it is read */
    size_t huge = (4u << 20) + 1;
    char *h = malloc(huge + 1);
    memset(h, '#', huge);
    memcpy(h, "version 2\narg ", 14);
    h[huge] = 0;
    REFUSED(h, 0, "unreadable or too large");
    free(h);
    free(text);
}

static void missing_required_keys(void)
{
    REFUSED("version 2\nsync_fifo /s\nrootfs /r\nnamespaces pid,mnt\narg x\n", 0, "state_dir is missing");
    REFUSED("version 2\nstate_dir /d\nrootfs /r\nnamespaces pid,mnt\narg x\n", 0, "sync_fifo is missing");
    REFUSED("version 2\nstate_dir /d\nsync_fifo /s\nnamespaces pid,mnt\narg x\n", 0, "rootfs is missing");
    REFUSED("version 2\nstate_dir /d\nsync_fifo /s\nrootfs\nnamespaces pid,mnt\narg x\n", 0, "rootfs is missing");
    REFUSED(RUN_HEAD, 0, "no arg lines");
    /* without a mount namespace the mounts would land in the host's */
    REFUSED("version 2\nstate_dir /d\nsync_fifo /s\nrootfs /r\nnamespaces pid,net\narg x\n", 0, "namespaces must include mnt");
    REFUSED("version 2\nstate_dir /d\nsync_fifo /s\nrootfs /r\narg x\n", 0, "namespaces must include mnt");
    struct launch l;
    CHECK(parse("version 2\nstate_dir /d\nsync_fifo /s\nrootfs /r\nnamespaces pid\njoin_ns mnt /proc/9/ns/mnt\narg x\n", 0, &l) == 0);
    REFUSED("version 2\narg true\n", 1, "pid is missing");
    REFUSED("version 2\npid 42\n", 1, "no arg lines");
    /* a file that is not there */
    struct launch m;
    hutch_err[0] = 0;
    check(launch_parse("/nonexistent/hutch/launch", 0, &m) == -1 && strstr(hutch_err, "/nonexistent/hutch/launch"),
          "a missing file names its path", __LINE__);
}

/* The OCI runtime's keys (docs/oci.md): start FIFO, inherited stdio, console socket, exec's pid file
 * and detach, and the extra mount flags; exec-only keys stay refused in a launch file. */
static void detach_keys(void)
{
    struct launch l;
    memset(&l, 0, sizeof l);
    CHECK(parse(RUN_MIN "detach_keys 16,17\n", 0, &l) == 0);
    CHECK(l.ndetach_keys == 2 && l.detach_keys[0] == 16 && l.detach_keys[1] == 17);
    memset(&l, 0, sizeof l);
    CHECK(parse(RUN_MIN, 0, &l) == 0);
    CHECK(l.ndetach_keys == 0);
    REFUSED(RUN_MIN "detach_keys 16,256\n", 0, "detach_keys: \"256\" is not a byte");
    REFUSED(RUN_MIN "detach_keys p\n", 0, "detach_keys: \"p\" is not a byte");
    REFUSED(RUN_MIN "detach_keys 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33\n", 0,
            "detach_keys: more than 32 keys");
    REFUSED(EXEC_MIN "detach_keys 16,17\n", 1, "unknown key \"detach_keys\"");
}

static void oci_keys(void)
{
    struct launch l;
    memset(&l, 0, sizeof l);
    CHECK(parse("version 2\nstate_dir /d\nsync_fifo /s\nrootfs /r\nnamespaces pid,mnt\nstart_fifo /d/start.fifo\n"
                "inherit_stdio 1\nconsole_socket /run/c.sock\nmount tmpfs\t/x\ttmpfs\tnoatime,rshared,mkdir\t\narg x\n",
                0, &l) == 0);
    STREQ(l.start_fifo, "/d/start.fifo");
    STREQ(l.console_socket, "/run/c.sock");
    CHECK(l.inherit_stdio == 1);
    CHECK(l.nmounts == 1 && (l.mounts[0].flags & MS_NOATIME) && l.mounts[0].propagation == (MS_SHARED | MS_REC));
    memset(&l, 0, sizeof l);
    CHECK(parse("version 2\npid 42\ndetach 1\npid_file /run/x/exec.pid\nconsole_socket /run/c.sock\narg x\n", 1, &l) == 0);
    CHECK(l.detach == 1);
    STREQ(l.pid_file, "/run/x/exec.pid");
    STREQ(l.console_socket, "/run/c.sock");
    REFUSED("version 2\nstate_dir /d\nsync_fifo /s\nrootfs /r\nnamespaces pid,mnt\npid_file /p\narg x\n", 0, "unknown key \"pid_file\"");
    REFUSED("version 2\npid 42\nstart_fifo /f\narg x\n", 1, "unknown key \"start_fifo\"");
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    snprintf(path, sizeof path, "%s/launch", dir);
    every_run_key();
    defaults_of_a_minimal_run_file();
    every_exec_key();
    malformed_lines();
    overlong_values();
    missing_required_keys();
    oci_keys();
    detach_keys();
    unlink(path);
    rmdir(dir);
    printf("launch_file_test: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
