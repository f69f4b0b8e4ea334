/*
 * Health checks (docker's HEALTHCHECK, --health-*), run by the monitor so no daemon is needed.
 * Every interval the monitor forks a child that runs the helper's own exec path on the exec file
 * the engine wrote (health_exec): the check command joins the container's namespaces and cgroup
 * as `hutch exec` does. Its output (first 4 KiB), exit code and times go into the last five
 * results, and the status (starting, healthy, unhealthy) with the failing streak is rewritten
 * atomically to STATE_DIR/health in docker's State.Health shape. See docs/helper-protocol.md.
 */
#ifndef HUTCH_HEALTH_H
#define HUTCH_HEALTH_H

#include "launch_file.h"

/* After "go": the first check is due one interval from now; writes the "starting" record. */
void health_begin(const struct launch *l, int devnull);
/* The running check's output pipe, to poll, or -1. */
int health_fd(void);
/* Milliseconds until health_tick has something to do (-1: nothing scheduled). */
int health_wait_ms(void);
/* Read the running check's output (the pipe polled readable). */
void health_read(void);
/* After SIGCHLD: reap the check if it ended. Returns 1 if pid was the check's. */
int health_reap(void);
/* Start a due check, end one past its timeout, record a finished one. */
void health_tick(void);
/* The container ended: a running check is killed and not recorded. */
void health_end(void);

#endif
