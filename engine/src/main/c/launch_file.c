#define _GNU_SOURCE
#include "launch_file.h"

#include "caps.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (4 << 20) /* a launch file is a few KiB; refuse anything absurd */

static const struct {
    const char *name;
    int flag;
} ns_names[] = {
    {"pid", CLONE_NEWPID}, {"mnt", CLONE_NEWNS},     {"uts", CLONE_NEWUTS},     {"ipc", CLONE_NEWIPC},
    {"net", CLONE_NEWNET}, {"cgroup", CLONE_NEWCGROUP}, {"user", CLONE_NEWUSER},
};

int ns_flag_from_name(const char *name)
{
    for (size_t i = 0; i < sizeof ns_names / sizeof ns_names[0]; i++)
        if (!strcmp(ns_names[i].name, name))
            return ns_names[i].flag;
    return 0;
}

static const struct {
    const char *name;
    int res;
} rlimit_names[] = {
    {"AS", RLIMIT_AS},           {"CORE", RLIMIT_CORE},       {"CPU", RLIMIT_CPU},
    {"DATA", RLIMIT_DATA},       {"FSIZE", RLIMIT_FSIZE},     {"LOCKS", RLIMIT_LOCKS},
    {"MEMLOCK", RLIMIT_MEMLOCK}, {"MSGQUEUE", RLIMIT_MSGQUEUE}, {"NICE", RLIMIT_NICE},
    {"NOFILE", RLIMIT_NOFILE},   {"NPROC", RLIMIT_NPROC},     {"RSS", RLIMIT_RSS},
    {"RTPRIO", RLIMIT_RTPRIO},   {"RTTIME", RLIMIT_RTTIME},   {"SIGPENDING", RLIMIT_SIGPENDING},
    {"STACK", RLIMIT_STACK},
};

static const struct {
    const char *name;
    unsigned long flags, propagation;
    unsigned extra;
} mount_flag_names[] = {
    {"bind", MS_BIND, 0, MNT_X_BIND},
    {"rbind", MS_BIND | MS_REC, 0, MNT_X_BIND},
    {"ro", MS_RDONLY, 0, 0},
    {"nosuid", MS_NOSUID, 0, 0},
    {"nodev", MS_NODEV, 0, 0},
    {"noexec", MS_NOEXEC, 0, 0},
    {"relatime", MS_RELATIME, 0, 0},
    {"strictatime", MS_STRICTATIME, 0, 0},
    {"private", 0, MS_PRIVATE, 0},
    {"rprivate", 0, MS_PRIVATE | MS_REC, 0},
    {"slave", 0, MS_SLAVE, 0},
    {"rslave", 0, MS_SLAVE | MS_REC, 0},
    /* the OCI runtime's (docs/oci.md): options a bundle's mounts may carry */
    {"noatime", MS_NOATIME, 0, 0},
    {"nodiratime", MS_NODIRATIME, 0, 0},
    {"shared", 0, MS_SHARED, 0},
    {"rshared", 0, MS_SHARED | MS_REC, 0},
    {"unbindable", 0, MS_UNBINDABLE, 0},
    {"runbindable", 0, MS_UNBINDABLE | MS_REC, 0},
    {"mkdir", 0, 0, MNT_X_MKDIR},
    {"file", 0, 0, MNT_X_FILE},
};

/* Grow a dynamic array by one element; returns a pointer to the new (zeroed) slot. */
static void *push(void *arrp, size_t *n, size_t elsize)
{
    void **arr = arrp;
    /* Capacity is implicit: the next power of two, so reallocate when n is 0 or a power of two.
     * The arrays are only ever appended to. */
    if (*n == 0 || (*n & (*n - 1)) == 0) {
        void *p = realloc(*arr, (*n ? *n * 2 : 1) * elsize);
        if (!p)
            return NULL;
        *arr = p;
    }
    void *slot = (char *)*arr + *n * elsize;
    memset(slot, 0, elsize);
    (*n)++;
    return slot;
}

static int push_str(char ***arr, size_t *n, char *s)
{
    char **slot = push(arr, n, sizeof(char *));
    if (!slot)
        return err("out of memory");
    *slot = s;
    return 0;
}

/* Undo the value escapes in place: \\ \n \t. */
static int unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\') {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case '\\': *w++ = '\\'; break;
        case 'n': *w++ = '\n'; break;
        case 't': *w++ = '\t'; break;
        default: return -1;
        }
    }
    *w = 0;
    return 0;
}

static int parse_bool(const char *key, const char *v, int *out)
{
    if (!strcmp(v, "0") || !strcmp(v, "1")) {
        *out = v[0] == '1';
        return 0;
    }
    return err("launch file: %s must be 0 or 1, got \"%s\"", key, v);
}

static int parse_id(const char *key, const char *v, unsigned *out)
{
    unsigned long long x;
    if (parse_u64(v, &x) < 0 || x > 0xfffffffeULL)
        return err("launch file: %s is not a valid id: \"%s\"", key, v);
    *out = (unsigned)x;
    return 0;
}

/* Split off the next `sep`-terminated field of *s (the last field runs to the end). */
static char *field(char **s, char sep)
{
    char *start = *s;
    if (!start)
        return NULL;
    char *p = strchr(start, sep);
    if (p) {
        *p = 0;
        *s = p + 1;
    } else {
        *s = NULL;
    }
    return start;
}

/* detach_keys: the bytes as decimal numbers, comma-separated ("16,17" is ctrl-p,ctrl-q). */
static int parse_detach_keys(struct launch *l, char *v)
{
    l->ndetach_keys = 0;
    while (v && *v) {
        char *n = field(&v, ',');
        unsigned long long b;
        if (parse_u64(n, &b) < 0 || b > 255)
            return err("launch file: detach_keys: \"%s\" is not a byte", n);
        if (l->ndetach_keys == DETACH_KEYS_MAX)
            return err("launch file: detach_keys: more than %d keys", DETACH_KEYS_MAX);
        l->detach_keys[l->ndetach_keys++] = (unsigned char)b;
    }
    return 0;
}

static int parse_mount(struct launch *l, char *v)
{
    struct mount_spec *m = push(&l->mounts, &l->nmounts, sizeof *m);
    if (!m)
        return err("out of memory");
    char *rest = v;
    m->source = field(&rest, '\t');
    m->target = field(&rest, '\t');
    m->fstype = field(&rest, '\t');
    char *flags = field(&rest, '\t');
    m->data = field(&rest, '\t');
    if (!m->data || rest)
        return err("launch file: mount needs 5 tab-separated fields: \"%s\"", v);
    if (m->target[0] != '/')
        return err("launch file: mount target must be absolute: \"%s\"", m->target);
    while (flags && *flags) {
        char *f = field(&flags, ',');
        if (!*f)
            continue;
        size_t i;
        for (i = 0; i < sizeof mount_flag_names / sizeof mount_flag_names[0]; i++)
            if (!strcmp(mount_flag_names[i].name, f))
                break;
        if (i == sizeof mount_flag_names / sizeof mount_flag_names[0])
            return err("launch file: unknown mount flag \"%s\"", f);
        m->flags |= mount_flag_names[i].flags;
        m->propagation |= mount_flag_names[i].propagation;
        m->extra |= mount_flag_names[i].extra;
    }
    return 0;
}

static int parse_device(struct launch *l, char *v)
{
    struct device_spec *d = push(&l->devices, &l->ndevices, sizeof *d);
    if (!d)
        return err("out of memory");
    char *rest = v, *path = field(&rest, ' '), *type = field(&rest, ' '), *maj = field(&rest, ' '),
         *min = field(&rest, ' '), *mode = field(&rest, ' ');
    char *uid = field(&rest, ' '), *gid = field(&rest, ' ');
    unsigned long long ma, mi, u = 0, g = 0;
    char *end;
    if ((uid && (!gid || parse_u64(uid, &u) < 0 || parse_u64(gid, &g) < 0 || u > 0xfffffffe || g > 0xfffffffe)))
        return err("launch file: device owner must be \"UID GID\": \"%s\"", v);
    if (!mode || rest || path[0] != '/' || (strcmp(type, "c") && strcmp(type, "b")) ||
        parse_u64(maj, &ma) < 0 || parse_u64(min, &mi) < 0 || ma > 0xfff || mi > 0xfffff)
        return err("launch file: device must be \"PATH c|b MAJOR MINOR MODE [UID GID]\": \"%s\"", v);
    unsigned long m = strtoul(mode, &end, 8);
    if (!*mode || *end || m > 07777)
        return err("launch file: device mode must be octal: \"%s\"", mode);
    d->path = path;
    d->type = type[0];
    d->major = (unsigned)ma;
    d->minor = (unsigned)mi;
    d->mode = (mode_t)m;
    d->has_owner = uid != NULL;
    d->uid = (uid_t)u;
    d->gid = (gid_t)g;
    return 0;
}

static int parse_rlimit_value(const char *s, rlim_t *out)
{
    unsigned long long x;
    if (!strcmp(s, "unlimited") || !strcmp(s, "-1")) {
        *out = RLIM_INFINITY;
        return 0;
    }
    if (parse_u64(s, &x) < 0)
        return -1;
    *out = (rlim_t)x;
    return 0;
}

static int parse_rlimit(struct launch *l, char *v)
{
    char *rest = v, *name = field(&rest, ' '), *soft = field(&rest, ' '), *hard = field(&rest, ' ');
    if (!hard || rest)
        return err("launch file: rlimit must be \"NAME SOFT HARD\": \"%s\"", v);
    if (!strncmp(name, "RLIMIT_", 7))
        name += 7;
    size_t i;
    for (i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
        if (!strcasecmp(rlimit_names[i].name, name))
            break;
    if (i == sizeof rlimit_names / sizeof rlimit_names[0])
        return err("launch file: unknown rlimit \"%s\"", name);
    struct rlimit_spec *r = push(&l->rlimits, &l->nrlimits, sizeof *r);
    if (!r)
        return err("out of memory");
    r->resource = rlimit_names[i].res;
    if (parse_rlimit_value(soft, &r->lim.rlim_cur) < 0 || parse_rlimit_value(hard, &r->lim.rlim_max) < 0)
        return err("launch file: bad rlimit value: \"%s\"", v);
    if (r->lim.rlim_cur > r->lim.rlim_max)
        return err("launch file: rlimit soft value above hard value: \"%s\"", v);
    return 0;
}

static int parse_namespaces(struct launch *l, char *v)
{
    l->ns_flags = 0;
    while (v && *v) {
        char *n = field(&v, ',');
        if (!*n)
            continue;
        int f = ns_flag_from_name(n);
        if (!f)
            return err("launch file: unknown namespace \"%s\"", n);
        l->ns_flags |= f;
    }
    return 0;
}

/* Keys valid in each file: R = run launch file, E = exec file. */
#define R 1
#define E 2
static const struct {
    const char *key;
    int where;
} keys[] = {
    {"version", R | E},     {"id", R},          {"state_dir", R},      {"sync_fifo", R}  ,
    {"detach", R | E},          {"tty", R | E},     {"stdin", R | E},      {"log_path", R},
    {"namespaces", R | E},  {"join_ns", R},     {"cgroup_procs", R | E}, {"oom_file", R},
    {"hostname", R},        {"rootfs", R},      {"mount", R},          {"device", R},
    {"symlink", R},         {"masked_path", R}, {"readonly_path", R},  {"readonly_rootfs", R},
    {"env", R | E},         {"cwd", R | E},     {"uid", R | E},        {"gid", R | E},
    {"additional_gid", R | E}, {"cap", R | E},  {"rlimit", R},         {"no_new_privs", R | E},
    {"arg", R | E},         {"pid", E},         {"loopback_up", R},    {"seccomp", R | E},
    {"cgroup_device_bpf", R}, {"engine_pid", R}, {"exit_arg", R},      {"log_max_size", R},
    {"log_max_files", R},   {"idmap_layer", R}, {"rootfs_overlay", R},
    {"idmap_bind", R},      {"sysctl", R},      {"oom_score_adj", R},
    {"console_socket", R | E}, {"start_fifo", R}, {"inherit_stdio", R}, {"pid_file", E},
    {"exit_when", R},       {"health_exec", R}, {"health_interval_ms", R}, {"health_timeout_ms", R},
    {"health_start_ms", R}, {"health_retries", R},
    {"shm_from", R},        {"proxy6_file", R},
    {"event_file", R},      {"event_die", R},
    {"quiet_streams", R},   {"own_session", R},     {"detach_keys", R},
};

static int apply(struct launch *l, const char *k, char *v)
{
    unsigned u;
    if (!strcmp(k, "id")) l->id = v;
    else if (!strcmp(k, "state_dir")) l->state_dir = v;
    else if (!strcmp(k, "sync_fifo")) l->sync_fifo = v;
    else if (!strcmp(k, "log_path")) l->log_path = *v ? v : NULL;
    else if (!strcmp(k, "event_file")) l->event_file = *v ? v : NULL;
    else if (!strcmp(k, "event_die")) l->event_die = *v ? v : NULL;
    else if (!strcmp(k, "oom_file")) l->oom_file = *v ? v : NULL;
    else if (!strcmp(k, "exit_when")) l->exit_when = *v ? v : NULL;
    else if (!strcmp(k, "health_exec")) l->health_exec = *v ? v : NULL;
    else if (!strcmp(k, "proxy6_file")) l->proxy6_file = *v ? v : NULL;
    else if (!strcmp(k, "health_interval_ms") || !strcmp(k, "health_timeout_ms") || !strcmp(k, "health_start_ms")) {
        unsigned long long ms;
        if (parse_u64(v, &ms) < 0 || ms > 86400000ULL * 365)
            return err("launch file: bad %s \"%s\"", k, v);
        if (k[7] == 'i')
            l->health_interval_ms = ms;
        else if (k[7] == 't')
            l->health_timeout_ms = ms;
        else
            l->health_start_ms = ms;
    } else if (!strcmp(k, "health_retries")) {
        unsigned long long n;
        if (parse_u64(v, &n) < 0 || n > 1000000)
            return err("launch file: bad health_retries \"%s\"", v);
        l->health_retries = (unsigned)n;
    }
    else if (!strcmp(k, "hostname")) l->hostname = v;
    else if (!strcmp(k, "rootfs")) l->rootfs = v;
    else if (!strcmp(k, "rootfs_overlay")) l->rootfs_overlay = v;
    else if (!strcmp(k, "shm_from")) l->shm_from = v;
    else if (!strcmp(k, "idmap_layer")) {
        if (v[0] != '/')
            return err("launch file: idmap_layer must be an absolute path: \"%s\"", v);
        return push_str(&l->idmap_layers, &l->nidmap_layers, v);
    }
    else if (!strcmp(k, "idmap_bind")) {
        if (v[0] != '/')
            return err("launch file: idmap_bind must be an absolute path: \"%s\"", v);
        return push_str(&l->idmap_binds, &l->nidmap_binds, v);
    }
    else if (!strcmp(k, "cwd")) l->cwd = v;
    else if (!strcmp(k, "console_socket")) l->console_socket = v;
    else if (!strcmp(k, "start_fifo")) l->start_fifo = v;
    else if (!strcmp(k, "pid_file")) l->pid_file = v;
    else if (!strcmp(k, "inherit_stdio")) return parse_bool(k, v, &l->inherit_stdio);
    else if (!strcmp(k, "own_session")) return parse_bool(k, v, &l->own_session);
    else if (!strcmp(k, "detach_keys")) return parse_detach_keys(l, v);
    else if (!strcmp(k, "quiet_streams")) {
        for (char *t = strtok(v, ","); t; t = strtok(NULL, ",")) {
            if (!strcmp(t, "stdin")) l->quiet_streams |= QUIET_STDIN;
            else if (!strcmp(t, "stdout")) l->quiet_streams |= QUIET_STDOUT;
            else if (!strcmp(t, "stderr")) l->quiet_streams |= QUIET_STDERR;
            else return err("quiet_streams: unknown stream \"%s\"", t);
        }
    }
    else if (!strcmp(k, "detach")) return parse_bool(k, v, &l->detach);
    else if (!strcmp(k, "tty")) return parse_bool(k, v, &l->tty);
    else if (!strcmp(k, "stdin")) return parse_bool(k, v, &l->stdin_open);
    else if (!strcmp(k, "readonly_rootfs")) return parse_bool(k, v, &l->readonly_rootfs);
    else if (!strcmp(k, "loopback_up")) return parse_bool(k, v, &l->loopback_up);
    else if (!strcmp(k, "no_new_privs")) return parse_bool(k, v, &l->no_new_privs);
    else if (!strcmp(k, "namespaces")) return parse_namespaces(l, v);
    else if (!strcmp(k, "cgroup_procs")) return push_str(&l->cgroup_procs, &l->ncgroup_procs, v);
    else if (!strcmp(k, "masked_path")) return push_str(&l->masked, &l->nmasked, v);
    else if (!strcmp(k, "readonly_path")) return push_str(&l->readonly, &l->nreadonly, v);
    else if (!strcmp(k, "env")) {
        if (!strchr(v, '='))
            return err("launch file: env must be K=V: \"%s\"", v);
        return push_str(&l->env, &l->nenv, v);
    } else if (!strcmp(k, "arg")) return push_str(&l->args, &l->nargs, v);
    else if (!strcmp(k, "sysctl")) {
        char *sp = strchr(v, ' ');
        if (!sp || sp == v || !sp[1] || strchr(v, '/'))
            return err("launch file: sysctl must be \"NAME VALUE\" with a dotted NAME: \"%s\"", v);
        for (char *c = v; c < sp; c++)
            if (*c == '.' && (c == v || c[1] == '.' || c + 1 == sp))
                return err("launch file: sysctl name has an empty part: \"%s\"", v);
        return push_str(&l->sysctls, &l->nsysctls, v);
    }
    else if (!strcmp(k, "oom_score_adj")) {
        char *end;
        errno = 0;
        long x = strtol(v, &end, 10);
        if (!*v || *end || errno || x < -1000 || x > 1000)
            return err("launch file: oom_score_adj must be -1000 to 1000: \"%s\"", v);
        l->has_oom_score_adj = 1;
        l->oom_score_adj = (int)x;
    }
    else if (!strcmp(k, "mount")) return parse_mount(l, v);
    else if (!strcmp(k, "device")) return parse_device(l, v);
    else if (!strcmp(k, "rlimit")) return parse_rlimit(l, v);
    else if (!strcmp(k, "seccomp")) return bpf_blob_from_hex(k, v, &l->seccomp);
    else if (!strcmp(k, "cgroup_device_bpf")) {
        char *sp = strchr(v, ' ');
        if (!sp || sp[1] != '/')
            return err("launch file: cgroup_device_bpf must be \"HEX CGROUP_DIR\"");
        *sp = 0;
        l->device_bpf_cgroup = sp + 1;
        return bpf_blob_from_hex(k, v, &l->device_bpf);
    }
    else if (!strcmp(k, "uid")) {
        if (parse_id(k, v, &u) < 0) return -1;
        l->uid = u;
    } else if (!strcmp(k, "gid")) {
        if (parse_id(k, v, &u) < 0) return -1;
        l->gid = u;
    } else if (!strcmp(k, "additional_gid")) {
        if (parse_id(k, v, &u) < 0) return -1;
        gid_t *g = push(&l->groups, &l->ngroups, sizeof *g);
        if (!g) return err("out of memory");
        *g = u;
    } else if (!strcmp(k, "cap")) {
        int c = cap_from_name(v);
        if (c < 0)
            return err("launch file: unknown capability \"%s\"", v);
        l->caps |= 1ULL << c;
    } else if (!strcmp(k, "engine_pid")) {
        unsigned long long p;
        if (parse_u64(v, &p) < 0 || p < 1 || p > 0x3fffffff)
            return err("launch file: bad engine_pid \"%s\"", v);
        l->engine_pid = (pid_t)p;
    } else if (!strcmp(k, "exit_arg")) {
        return push_str(&l->exit_args, &l->nexit_args, v);
    } else if (!strcmp(k, "log_max_size")) {
        if (parse_u64(v, &l->log_max_size) < 0)
            return err("launch file: bad log_max_size \"%s\"", v);
    } else if (!strcmp(k, "log_max_files")) {
        unsigned long long n;
        if (parse_u64(v, &n) < 0 || n < 1 || n > 100)
            return err("launch file: log_max_files must be 1 to 100: \"%s\"", v);
        l->log_max_files = (unsigned)n;
    } else if (!strcmp(k, "pid")) {
        unsigned long long p;
        if (parse_u64(v, &p) < 0 || p < 1 || p > 0x3fffffff)
            return err("exec file: bad pid \"%s\"", v);
        l->pid = (pid_t)p;
    } else if (!strcmp(k, "symlink")) {
        char *sp = strchr(v, ' ');
        if (!sp || sp == v || !sp[1] || sp[1] != '/')
            return err("launch file: symlink must be \"TARGET LINKPATH\": \"%s\"", v);
        *sp = 0;
        struct symlink_spec *s = push(&l->symlinks, &l->nsymlinks, sizeof *s);
        if (!s) return err("out of memory");
        s->target = v;
        s->linkpath = sp + 1;
    } else if (!strcmp(k, "join_ns")) {
        char *sp = strchr(v, ' ');
        if (!sp)
            return err("launch file: join_ns must be \"TYPE PATH\": \"%s\"", v);
        *sp = 0;
        int f = ns_flag_from_name(v);
        if (!f)
            return err("launch file: join_ns: unknown namespace \"%s\"", v);
        struct join_spec *j = push(&l->joins, &l->njoins, sizeof *j);
        if (!j) return err("out of memory");
        j->nstype = f;
        j->path = sp + 1;
    }
    return 0;
}

int launch_parse(const char *path, int is_exec, struct launch *l)
{
    const char *what = is_exec ? "exec file" : "launch file";
    memset(l, 0, sizeof *l);
    l->is_exec = is_exec;

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errp("open %s %s", what, path);
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size > MAX_FILE) {
        close(fd);
        return err("%s %s: unreadable or too large", what, path);
    }
    /* The text stays allocated for the life of the process: every string in `l` points into it. */
    char *text = malloc((size_t)st.st_size + 1);
    if (!text) {
        close(fd);
        return err("out of memory");
    }
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fd, text + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            close(fd);
            return errp("read %s", path);
        }
        if (n == 0 || (len += (size_t)n) == (size_t)st.st_size)
            break;
    }
    close(fd);
    text[len] = 0;
    if (strlen(text) != len)
        return err("%s %s: contains a NUL byte", what, path);

    int lineno = 0, seen_version = 0;
    char *rest = text;
    while (rest && *rest) {
        char *line = field(&rest, '\n');
        lineno++;
        if (!*line)
            continue; /* tolerate blank lines (e.g. a trailing newline) */
        char *v = strchr(line, ' ');
        if (v)
            *v++ = 0;
        else
            v = line + strlen(line); /* "key" alone: empty value */
        size_t i;
        for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (!strcmp(keys[i].key, line))
                break;
        if (i == sizeof keys / sizeof keys[0] || !(keys[i].where & (is_exec ? E : R)))
            return err("%s line %d: unknown key \"%s\"", what, lineno, line);
        if (unescape(v) < 0)
            return err("%s line %d: bad escape in value of %s", what, lineno, line);
        if (!strcmp(line, "version")) {
            if (seen_version || lineno != 1 || strcmp(v, "2"))
                return err("%s: version must be the first line and be 2 (got \"%s\")", what, v);
            seen_version = 1;
            continue;
        }
        if (!seen_version)
            return err("%s: the first line must be \"version 2\"", what);
        if (apply(l, line, v) < 0)
            return -1;
    }
    if (!seen_version)
        return err("%s: the first line must be \"version 2\"", what);

    /* NULL-terminate argv and envp for execve. */
    if (push_str(&l->args, &l->nargs, NULL) < 0 || push_str(&l->env, &l->nenv, NULL) < 0)
        return -1;
    l->nargs--;
    l->nenv--;
    if (l->nexit_args) {
        if (push_str(&l->exit_args, &l->nexit_args, NULL) < 0)
            return -1;
        l->nexit_args--;
        if (l->exit_args[0][0] != '/')
            return err("launch file: exit_arg must start with an absolute program path: \"%s\"", l->exit_args[0]);
    }
    if (!l->log_max_files)
        l->log_max_files = 1;
    if (l->nargs == 0)
        return err("%s: no arg lines (the command is missing)", what);
    if (!l->cwd || !*l->cwd)
        l->cwd = "/";
    if (l->cwd[0] != '/')
        return err("%s: cwd must be absolute: \"%s\"", what, l->cwd);
    if (is_exec) {
        if (!l->pid)
            return err("exec file: pid is missing");
    } else {
        if (!l->state_dir || !*l->state_dir)
            return err("launch file: state_dir is missing");
        if (!l->sync_fifo || !*l->sync_fifo)
            return err("launch file: sync_fifo is missing");
        if (!l->rootfs || !*l->rootfs)
            return err("launch file: rootfs is missing");
        /* Mounts and pivot_root in the host's mount namespace would wreck the host. */
        int joins_mnt = 0;
        for (size_t i = 0; i < l->njoins; i++)
            joins_mnt |= l->joins[i].nstype == CLONE_NEWNS;
        if (!(l->ns_flags & CLONE_NEWNS) && !joins_mnt)
            return err("launch file: namespaces must include mnt");
        /* A joined pid namespace is entered by the monitor before clone (setns only moves the
         * children), so it cannot be a new one as well. */
        for (size_t i = 0; i < l->njoins; i++)
            if (l->joins[i].nstype == CLONE_NEWPID && (l->ns_flags & CLONE_NEWPID))
                return err("launch file: join_ns pid and namespaces pid exclude each other");
        if (l->shm_from && (l->shm_from[0] != '/' || (l->ns_flags & CLONE_NEWUSER)))
            return err("launch file: shm_from must be an absolute path, without namespaces user");
        /* Detached with stdin (docker -di): the monitor holds a pipe to the command's stdin that
         * attach clients write to (see attach.c). */
        /* The idmapped layers only make sense for a user namespace of the container's own, and
         * the monitor must mount its overlay in init's new mount namespace, never in the host's. */
        if ((l->nidmap_layers || l->rootfs_overlay || l->nidmap_binds) && (!(l->ns_flags & CLONE_NEWUSER) || !(l->ns_flags & CLONE_NEWNS)))
            return err("launch file: idmap_layer, idmap_bind and rootfs_overlay need namespaces user and mnt");
    }
    return 0;
}
