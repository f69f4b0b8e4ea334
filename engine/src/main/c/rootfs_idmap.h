/*
 * The rootfs of a container with a user namespace of its own (--userns=auto), assembled by the
 * monitor before "go": see rootfs_idmap.c.
 */
#ifndef HUTCH_ROOTFS_IDMAP_H
#define HUTCH_ROOTFS_IDMAP_H

#include "launch_file.h"

#include <sys/types.h>

/* Idmapped layers + overlay on l->rootfs inside init's mount namespace. 0, or -1 with hutch_err. */
int rootfs_idmap_mount(const struct launch *l, pid_t init);

#endif
