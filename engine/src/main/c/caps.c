#define _GNU_SOURCE
#include "caps.h"

#include "util.h"

#include <errno.h>
#include <linux/capability.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *const cap_names[] = {
    "CHOWN",           "DAC_OVERRIDE",   "DAC_READ_SEARCH", "FOWNER",         "FSETID",
    "KILL",            "SETGID",         "SETUID",          "SETPCAP",        "LINUX_IMMUTABLE",
    "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",       "NET_RAW",        "IPC_LOCK",
    "IPC_OWNER",       "SYS_MODULE",     "SYS_RAWIO",       "SYS_CHROOT",     "SYS_PTRACE",
    "SYS_PACCT",       "SYS_ADMIN",      "SYS_BOOT",        "SYS_NICE",       "SYS_RESOURCE",
    "SYS_TIME",        "SYS_TTY_CONFIG", "MKNOD",           "LEASE",          "AUDIT_WRITE",
    "AUDIT_CONTROL",   "SETFCAP",        "MAC_OVERRIDE",    "MAC_ADMIN",      "SYSLOG",
    "WAKE_ALARM",      "BLOCK_SUSPEND",  "AUDIT_READ",      "PERFMON",        "BPF",
    "CHECKPOINT_RESTORE",
};

int cap_from_name(const char *name)
{
    if (!strncasecmp(name, "CAP_", 4))
        name += 4;
    for (int i = 0; i < (int)(sizeof cap_names / sizeof cap_names[0]); i++)
        if (!strcasecmp(cap_names[i], name))
            return i;
    return -1;
}

/* The capabilities this kernel knows and this process still has in its bounding set. */
static uint64_t bounding_set(void)
{
    uint64_t set = 0;
    for (int i = 0; i < 64; i++) {
        int r = prctl(PR_CAPBSET_READ, (unsigned long)i, 0, 0, 0);
        if (r < 0)
            break; /* EINVAL: past the kernel's last capability */
        if (r == 1)
            set |= 1ULL << i;
    }
    return set;
}

int caps_drop_bounding(uint64_t keep)
{
    uint64_t have = bounding_set();
    for (int i = 0; i < 64; i++) {
        if (!(have & (1ULL << i)) || (keep & (1ULL << i)))
            continue;
        if (prctl(PR_CAPBSET_DROP, (unsigned long)i, 0, 0, 0) < 0)
            return errp("drop capability %d from the bounding set", i);
    }
    return 0;
}

int caps_apply(uint64_t keep)
{
    /* A kept capability the bounding set no longer has (a restricted host) cannot be raised:
     * capset would fail with EPERM. Keep what is possible rather than fail the container. */
    keep &= bounding_set();
    struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[2];
    for (int i = 0; i < 2; i++) {
        __u32 v = (__u32)(keep >> (32 * i));
        data[i].effective = v;
        data[i].permitted = v;
        data[i].inheritable = v;
    }
    if (syscall(SYS_capset, &hdr, data) < 0)
        return errp("capset");
    /* Ambient capabilities would survive execve for a non-root user: the plan never asks for
     * them, so none may remain. EINVAL means a kernel without ambient support: nothing to clear. */
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
        return errp("clear ambient capabilities");
    return 0;
}
