#!/usr/bin/env hutch
// The smallest sandbox: one container, run to its end, its output read back.
def hello = container('hello') {
    image 'busybox'
    network 'none'
    env WHO: 'sandbox'
    command 'sh', '-c', 'echo "hello from the $WHO, I am $(hostname)"'
}
def result = hello.run()
print result.output
assert result.exitCode == 0
assert result.output == 'hello from the sandbox, I am hello\n'
