/*
 * The security steps the plan hands over as ready-made programs (docs/helper-protocol.md):
 * the seccomp filter (classic BPF, compiled by the engine from the profile) and the cgroup v2
 * device program (eBPF, BPF_PROG_TYPE_CGROUP_DEVICE). The helper only decodes and loads them.
 */
#ifndef HUTCH_SECURITY_H
#define HUTCH_SECURITY_H

#include <stddef.h>

struct bpf_blob {
    unsigned char *code; /* decoded bytes, 8 per instruction */
    size_t len;
};

/* Decode a hex string into `out` (len must be a non-zero multiple of 8). 0, or -1 with hutch_err. */
int bpf_blob_from_hex(const char *what, const char *hex, struct bpf_blob *out);

/* Install the seccomp filter on the calling thread. 0, or -1 with hutch_err. */
int seccomp_install(const struct bpf_blob *filter);

/* Load the device program and attach it to the cgroup v2 directory (BPF_F_ALLOW_MULTI). The
 * attachment lives as long as the cgroup; no fd is kept. 0, or -1 with hutch_err. */
int cgroup_device_attach(const char *cgroup_dir, const struct bpf_blob *prog);

#endif
