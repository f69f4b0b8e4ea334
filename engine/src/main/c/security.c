#define _GNU_SOURCE
#include "security.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int bpf_blob_from_hex(const char *what, const char *hex, struct bpf_blob *out)
{
    size_t n = strlen(hex);
    if (n == 0 || n % 16 != 0)
        return err("launch file: %s must be hex of whole 8-byte instructions (got %zu characters)", what, n);
    out->len = n / 2;
    out->code = malloc(out->len);
    if (!out->code)
        return err("out of memory");
    for (size_t i = 0; i < out->len; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return err("launch file: %s is not hex", what);
        out->code[i] = (unsigned char)(hi << 4 | lo);
    }
    return 0;
}

int seccomp_install(const struct bpf_blob *filter)
{
    struct sock_fprog prog = {
        .len = (unsigned short)(filter->len / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)filter->code,
    };
    if (filter->len / sizeof(struct sock_filter) > BPF_MAXINSNS)
        return err("seccomp filter too long: %zu instructions", filter->len / sizeof(struct sock_filter));
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
        return errp("load the seccomp filter");
    return 0;
}

/* bpf(2) by hand, with the few fields used: older uapi headers (before 4.15) lack the device
 * program type, and this keeps the helper building there. Layouts are the kernel's ABI. */
#define HUTCH_BPF_PROG_LOAD 5
#define HUTCH_BPF_PROG_ATTACH 8
#define HUTCH_BPF_PROG_TYPE_CGROUP_DEVICE 15
#define HUTCH_BPF_CGROUP_DEVICE 6
#define HUTCH_BPF_F_ALLOW_MULTI 2

struct prog_load_attr {
    uint32_t prog_type, insn_cnt;
    uint64_t insns, license;
    uint32_t log_level, log_size;
    uint64_t log_buf;
    uint32_t kern_version, prog_flags;
    char prog_name[16];
};

struct prog_attach_attr {
    uint32_t target_fd, attach_bpf_fd, attach_type, attach_flags;
};

int cgroup_device_attach(const char *cgroup_dir, const struct bpf_blob *prog)
{
    char log[4096];
    log[0] = 0;
    struct prog_load_attr load;
    memset(&load, 0, sizeof load);
    load.prog_type = HUTCH_BPF_PROG_TYPE_CGROUP_DEVICE;
    load.insn_cnt = (uint32_t)(prog->len / 8);
    load.insns = (uint64_t)(uintptr_t)prog->code;
    load.license = (uint64_t)(uintptr_t)"Apache";
    memcpy(load.prog_name, "hutch_devices", 14);
    int pfd = (int)syscall(SYS_bpf, HUTCH_BPF_PROG_LOAD, &load, sizeof load);
    if (pfd < 0 && errno == EINVAL) { /* a kernel before 4.15's prog_name: try without it */
        memset(load.prog_name, 0, sizeof load.prog_name);
        pfd = (int)syscall(SYS_bpf, HUTCH_BPF_PROG_LOAD, &load, sizeof load);
    }
    if (pfd < 0 && errno != EPERM) {
        /* Again with the verifier's log, for the message only (the log of a good load is long). */
        load.log_level = 1;
        load.log_size = sizeof log;
        load.log_buf = (uint64_t)(uintptr_t)log;
        pfd = (int)syscall(SYS_bpf, HUTCH_BPF_PROG_LOAD, &load, sizeof load);
    }
    if (pfd < 0) {
        int e = errno;
        char *nl = strrchr(log, '\n');
        if (nl && nl == log + strlen(log) - 1)
            *nl = 0;
        errno = e;
        return errp("load the cgroup v2 device program%s%s", log[0] ? ": " : "", log);
    }
    int cfd = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cfd < 0) {
        int e = errno;
        close(pfd);
        errno = e;
        return errp("open cgroup %s", cgroup_dir);
    }
    struct prog_attach_attr at = {
        .target_fd = (uint32_t)cfd,
        .attach_bpf_fd = (uint32_t)pfd,
        .attach_type = HUTCH_BPF_CGROUP_DEVICE,
        .attach_flags = HUTCH_BPF_F_ALLOW_MULTI,
    };
    int r = (int)syscall(SYS_bpf, HUTCH_BPF_PROG_ATTACH, &at, sizeof at);
    int e = errno;
    close(cfd);
    close(pfd);
    if (r < 0) {
        errno = e;
        return errp("attach the device program to cgroup %s", cgroup_dir);
    }
    return 0;
}
