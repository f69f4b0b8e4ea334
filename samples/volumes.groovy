#!/usr/bin/env hutch
// Volumes: a host directory shared by two containers (one writes, one only reads), and an
// anonymous volume that lives and dies with its container.
def shared = File.createTempDir('hutch-shared', '')
try {
    def writer = container('vol-writer') {
        image 'busybox'
        network 'none'
        volume shared.path, '/shared'
        command 'sh', '-c', 'echo "written in $(hostname)" > /shared/note; echo done'
    }
    assert writer.run().output.trim() == 'done'
    // The host sees what the container wrote.
    assert new File(shared, 'note').text == 'written in vol-writer\n'

    def reader = container('vol-reader') {
        image 'busybox'
        network 'none'
        volume shared.path, '/shared', readOnly: true
        volume '/scratch'                 // anonymous: removed with the container
        command 'sleep', '600'
    }
    reader.start()
    assert reader.exec('cat', '/shared/note').output == 'written in vol-writer\n'
    def denied = reader.exec('sh', '-c', 'echo again > /shared/note')
    assert denied.exitCode != 0 : 'a read-only volume must refuse writes'
    assert denied.error.contains('Read-only file system')
    assert reader.exec('sh', '-c', 'echo tmp > /scratch/x && cat /scratch/x').output == 'tmp\n'
    println "volumes: host dir shared read-write and read-only, anonymous volume writable"
} finally {
    shared.deleteDir()
}
