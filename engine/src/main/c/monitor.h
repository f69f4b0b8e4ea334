/*
 * The monitor: `hutch-helper run`. Clones init, talks to the engine, copies the container's
 * output, waits for init and writes the exit file. Stays outside the container.
 */
#ifndef HUTCH_MONITOR_H
#define HUTCH_MONITOR_H

#include "launch_file.h"

/* Never returns: exits with the container's exit code (125 if the start was aborted). */
void monitor_main(const struct launch *l) __attribute__((noreturn));

#endif
