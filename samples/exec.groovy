#!/usr/bin/env hutch
// exec: commands in a running container share its namespaces, cgroup and environment.
def box = container('exec-box') {
    image 'busybox'
    network 'none'
    env COLOR: 'teal'
    command 'sleep', '600'
}
box.start()

def hostname = box.exec('hostname')
assert hostname.exitCode == 0 && hostname.output.trim() == 'exec-box'

// The container's environment, plus what this exec adds.
def env = box.exec('sh', '-c', 'echo $COLOR $SHAPE', env: [SHAPE: 'round'])
assert env.output.trim() == 'teal round'

// Exit codes and stderr come back separately.
def failing = box.exec('sh', '-c', 'echo oops >&2; exit 3')
assert failing.exitCode == 3 && failing.error.trim() == 'oops' && failing.output == ''

// A working directory and a user.
assert box.exec('pwd', workdir: '/tmp').output.trim() == '/tmp'
assert box.exec('id', '-u', user: '65534').output.trim() == '65534'

// The same pid namespace: the exec sees the container's init as pid 1 (the helper's init or sleep).
def ps = box.exec('ps', '-o', 'pid,comm').output
assert ps.readLines().any { it.trim().startsWith('1 ') }
println "exec: hostname, env, exit code, stderr, workdir, user and pid namespace all as expected"
