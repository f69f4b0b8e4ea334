#!/usr/bin/env hutch
// A memory limit and its OOM kill: a shell that holds 64 MiB in a 16 MiB box is killed by the
// kernel; the same shell in a 256 MiB box finishes. The cgroup's counters say what happened.
def hog = { String name, long limit ->
    container(name) {
        image 'busybox'
        network 'none'
        memory limit
        memorySwap limit          // no swap: the limit is the limit
        command 'sh', '-c', "x=\$(head -c ${64.mb} /dev/zero | tr '\\0' a); echo \${#x}"
    }
}

def small = hog('oom-small', 16.mb)
def killed = small.run(timeout: 60.seconds)
def counters = small.stats()      // an exited container keeps its cgroup until it is removed
println "16 MiB limit: exit ${killed.exitCode}, OOM killed: ${killed.oomKilled}, peak ${counters.memoryPeak >> 20} MiB, oom kills ${counters.oomKills}"
assert killed.oomKilled
assert killed.exitCode == 137     // 128 + SIGKILL, as docker reports it
assert counters.oomKills >= 1
assert counters.memoryPeak <= 16.mb

def big = hog('oom-big', 256.mb).run(timeout: 60.seconds)
println "256 MiB limit: exit ${big.exitCode}, held ${big.output.trim()} bytes"
assert big.exitCode == 0 && !big.oomKilled
assert big.output.trim() == "${64.mb}"
