/*
 * Run from a sealed memfd copy of ourselves (CVE-2019-5736): a process in the container that
 * reaches /proc/<pid>/exe of the helper finds an immutable anonymous copy, never the file on
 * the host.
 */
#ifndef HUTCH_MEMFD_REEXEC_H
#define HUTCH_MEMFD_REEXEC_H

/* If not yet running from the copy: make it and fexecve it (does not return on success).
 * In the copy: remove the marker from the environment and return 0. Already exec'd from a sealed
 * memfd (the engine service's one copy for all helpers): return 0 at once. -1 on failure. */
int memfd_reexec(char **argv);

#endif
