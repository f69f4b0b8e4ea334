#!/usr/bin/env python3
"""CPU time per call of a command: the command's own (and its waited-for children's), plus, when
a pid is given, what that long-lived process (the engine service) spent meanwhile, including the
children it reaped (the helper's monitor and the container). Prints milliseconds per call.

    cpu_per_run.py RUNS SERVICE_PID|- CMD...
"""
import os
import resource
import subprocess
import sys


def service_ticks(pid):
    if pid == "-":
        return 0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the ")" split
    return sum(int(x) for x in fields[11:15])


def main():
    runs, pid, cmd = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # warm-up
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    ticks = service_ticks(pid)
    for _ in range(runs):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    service = (service_ticks(pid) - ticks) / os.sysconf("SC_CLK_TCK")
    print(f"{(own + service) * 1000 / runs:.1f}")


if __name__ == "__main__":
    main()
