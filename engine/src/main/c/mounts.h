/*
 * The generic mount executor: init's steps 2-4 (docs/helper-protocol.md). Every function runs
 * in init, inside the container's new mount namespace; none of them may ever run in the host's.
 */
#ifndef HUTCH_MOUNTS_H
#define HUTCH_MOUNTS_H

#include "launch_file.h"

/* Step 2, in this order: make "/" recursively private, make the rootfs a mount point if no
 * `mount` line covers "/", the `mount` lines, `device` nodes, `symlink`s. */
int mounts_setup(const struct launch *l);

/* Step 3: pivot_root into the rootfs, detach the old root, chdir("/"), verify the cwd. */
int mounts_pivot(const char *rootfs);

/* Step 4 (after pivot_root, container paths): masked paths, read-only paths. */
int mounts_mask_and_protect(const struct launch *l);

/* Step 4, last of the filesystem work: remount "/" read-only (readonly_rootfs). */
int mounts_readonly_root(void);

#endif
