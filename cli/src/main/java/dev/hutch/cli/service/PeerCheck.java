package dev.hutch.cli.service;

/**
 * Who may use the service: root only. The service runs commands as root on the caller's behalf,
 * so any other uid would gain root through it; the socket's mode 0600 already keeps others out,
 * SO_PEERCRED makes sure.
 */
final class PeerCheck {
    private PeerCheck() {}

    /** The line for the caller's stderr when it is refused, or null when it may go on. */
    static String refusal(long uid) {
        return uid == 0 ? null : "hutch: the engine service accepts only root (uid " + uid + "); run hutch as root";
    }
}
