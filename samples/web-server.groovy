#!/usr/bin/env hutch
// A web server published on the host: busybox httpd in a container, its port 80 published on
// 127.0.0.1 (a free host port picked by hutch), fetched from the host.
def site = File.createTempDir('hutch-site', '')
new File(site, 'index.html').text = '<h1>served from a sandbox</h1>\n'

def web = container('web-server') {
    image 'busybox'
    memory 32.mb
    volume site.path, '/www', readOnly: true
    port 0, 80, ip: '127.0.0.1'       // loopback only; 0 = any free port
    command 'httpd', '-f', '-p', '80', '-h', '/www'
}
try {
    web.start()
    int hostPort = web.hostPort(80)
    web.waitFor hostPort: hostPort, timeout: 10.seconds
    def page = new URL("http://127.0.0.1:${hostPort}/index.html").text
    println "http://127.0.0.1:${hostPort}/ answered: ${page.trim()}"
    assert page == '<h1>served from a sandbox</h1>\n'

    // The server cannot write to the read-only site.
    def write = web.exec('sh', '-c', 'echo hacked > /www/index.html')
    assert write.exitCode != 0
    assert new File(site, 'index.html').text.startsWith('<h1>served')
} finally {
    site.deleteDir()
}
