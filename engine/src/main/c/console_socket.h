/*
 * The OCI runtime's console socket (docs/oci.md): a caller (conmon, containerd's shim) listens on
 * a unix socket and expects the container's pty master there, as one message with SCM_RIGHTS, the
 * way runc sends it. The helper then keeps no copy of the master: the caller relays the terminal.
 */
#ifndef HUTCH_CONSOLE_SOCKET_H
#define HUTCH_CONSOLE_SOCKET_H

/* Connect to path and send master; returns 0, or -1 with hutch_err set. */
int console_socket_send(const char *path, int master);

#endif
