/*
 * Capabilities: keep exactly the `cap` lines of the plan, drop every other one.
 */
#ifndef HUTCH_CAPS_H
#define HUTCH_CAPS_H

#include <stdint.h>

/* "CAP_CHOWN" (or "chown") -> 0; -1 if unknown. */
int cap_from_name(const char *name);

/*
 * Drop every capability not in `keep` from the bounding set (PR_CAPBSET_DROP).
 * Must run while the process still has CAP_SETPCAP, i.e. before setuid to a non-root user.
 */
int caps_drop_bounding(uint64_t keep);

/*
 * Set effective = permitted = inheritable = keep (restricted to what the kernel and the
 * bounding set allow) and clear the ambient set. Run after setresuid (with PR_SET_KEEPCAPS
 * around it), so the uid change cannot clear what this sets.
 */
int caps_apply(uint64_t keep);

#endif
