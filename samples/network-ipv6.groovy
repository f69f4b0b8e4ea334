#!/usr/bin/env hutch
// A dual-stack user network: each container gets an IPv4 and an IPv6 address (the IPv6 subnet is
// a free /64 of fd68:7574:6368::/48), and the names resolve to both. The client reaches the server
// by name over IPv6 only. The traffic stays on the network's bridge, inside namespaces this script made.
def net = network('samples-net6') { ipv6(); subnet '10.126.0.0/24' }
println "network ${net.name}: ${net.subnet} and ${net.subnet6}, gateways ${net.gateway} and ${net.gateway6}"
assert net.subnet6.startsWith('fd68:7574:6368:')

def server = container('server') {
    image 'busybox'
    network net
    command 'sh', '-c', 'mkdir -p /www && echo pong6 > /www/ping && exec httpd -f -p 80 -h /www'
}
server.start()
server.waitFor port: 80, timeout: 10.seconds

// ping -6 resolves the name to its IPv6 address; wget then fetches from that address, in brackets
def client = container('client') {
    image 'busybox'
    network net
    command 'sh', '-c', 'ping -6 -c1 -W2 server >/dev/null && ip6=$(grep -w server /etc/hosts | grep : | cut -f1) && ' +
            'echo "server is $ip6" && wget -q -O - "http://[$ip6]/ping"'
}
def reply = client.run(timeout: 30.seconds)
println reply.output.trim()
assert reply.exitCode == 0
assert reply.output.contains('server is fd68:7574:6368:')
assert reply.output.trim().endsWith('pong6')
