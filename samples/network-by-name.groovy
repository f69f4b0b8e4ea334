#!/usr/bin/env hutch
// Two containers on a user network, talking by name: the client finds the server as "server"
// (hutch writes each member's name into the others' /etc/hosts). The traffic stays on the
// network's bridge, inside namespaces this script made.
def net = network('samples-net') { subnet '10.124.0.0/24' }

def server = container('server') {
    image 'busybox'
    network net
    command 'sh', '-c', 'mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 80 -h /www'
}
server.start()
server.waitFor port: 80, timeout: 10.seconds
println "server is at ${server.ip} on ${net.name} (${net.subnet})"
assert server.ip.startsWith('10.124.0.')

def client = container('client') {
    image 'busybox'
    network net
    command 'wget', '-q', '-O', '-', 'http://server/ping'
}
def reply = client.run(timeout: 30.seconds)
println "client asked http://server/ping and got: ${reply.output.trim()}"
assert reply.exitCode == 0
assert reply.output.trim() == 'pong'

// An alias works as well as the name.
def viaAlias = container('client2') {
    image 'busybox'
    network net, alias: 'probe'
    command 'sh', '-c', 'getent hosts server >/dev/null || grep -w server /etc/hosts'
}.run(timeout: 30.seconds)
assert viaAlias.exitCode == 0
