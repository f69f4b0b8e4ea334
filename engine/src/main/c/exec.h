/*
 * `hutch-helper exec`: run one more command inside a running container.
 */
#ifndef HUTCH_EXEC_H
#define HUTCH_EXEC_H

#include "launch_file.h"

/* Never returns: exits with the command's status (125/126/127 on our own failure). */
void exec_main(const struct launch *l) __attribute__((noreturn));

#endif
