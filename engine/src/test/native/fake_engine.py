#!/usr/bin/env python3
"""A stand-in for the Java engine's side of the sync FIFOs (docs/helper-protocol.md "Sync").

usage: fake_engine.py HELPER LAUNCH_FILE SYNC_PREFIX [go|abort|close] [--transcript FILE]
                      [--pidfile FILE] [--pty] [--userns]

Starts `HELPER run LAUNCH_FILE`, waits for SYNC_PREFIX.out, answers `pid N` with go/abort (or closes),
records every line the monitor sends in the transcript, and exits with the monitor's status.
With --pty the monitor runs on a new pseudo-terminal whose output is copied to our stdout; stdin
bytes come from the environment variable PTY_INPUT (sent after `started`).
"""
import os, subprocess, sys, time

def main():
    args = sys.argv[1:]
    transcript = None
    userns = '--userns' in args
    if userns:
        args.remove('--userns')
    pty_mode = '--pty' in args
    if pty_mode:
        args.remove('--pty')
    pidfile = None
    if '--pidfile' in args:
        i = args.index('--pidfile')
        pidfile = args[i + 1]
        del args[i:i + 2]
    if '--transcript' in args:
        i = args.index('--transcript')
        transcript = args[i + 1]
        del args[i:i + 2]
    helper, launch, prefix = args[:3]
    answer = args[3] if len(args) > 3 else 'go'
    for suffix in ('.in', '.out'):
        try:
            os.unlink(prefix + suffix)
        except FileNotFoundError:
            pass
    lines = []
    if pty_mode:
        import pty, select
        import fcntl, struct, termios
        pid, master = pty.fork()
        if pid != 0:
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
        if pid == 0:
            time.sleep(0.1)  # let the parent set the window size first
            os.execv(helper, [helper, 'run', launch])
        proc = None
    else:
        proc = subprocess.Popen([helper, 'run', launch])
    if pidfile:
        with open(pidfile, 'w') as pf:
            pf.write(str(pid if pty_mode else proc.pid))
    deadline = time.time() + 20
    while not os.path.exists(prefix + '.out'):
        # the monitor may exit without connecting (bad launch file): report its status
        st = proc.poll() if proc else (os.waitpid(pid, os.WNOHANG)[1] or None)
        if st is not None or time.time() > deadline:
            return st if st is not None else 124
        time.sleep(0.01)
    rf = open(prefix + '.out', 'rb', buffering=0)
    wf = open(prefix + '.in', 'wb', buffering=0)
    f = rf
    first = f.readline().decode()
    lines.append(first.rstrip('\n'))
    if answer == 'go':
        if userns:  # what the engine does for a user namespace: maps before "go"
            ipid = first.split()[1]
            for mapfile in ('uid_map', 'gid_map'):
                with open(f'/proc/{ipid}/{mapfile}', 'w') as m:
                    m.write('0 100000 65536\n')
        wf.write(b'go\n')
        rest = f.readline().decode()
        if rest:
            lines.append(rest.rstrip('\n'))
    elif answer == 'abort':
        wf.write(b'abort\n')
    rf.close()
    wf.close()
    if transcript:
        with open(transcript + '.tmp', 'w') as t:
            t.write('\n'.join(lines) + '\n')
        os.rename(transcript + '.tmp', transcript)
    if pty_mode:
        data = os.environ.get('PTY_INPUT', '').encode()
        if data:
            time.sleep(0.3)
            os.write(master, data)
        out = b''
        while True:
            try:
                r, _, _ = select.select([master], [], [], 10)
                if not r:
                    break
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status)
    return proc.wait()

if __name__ == '__main__':
    rc = main()
    sys.exit(rc if rc >= 0 else 128 - rc)
