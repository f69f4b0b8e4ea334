#!/usr/bin/env hutch
// Layers and commit: a container writes into its own upper layer; the image's layers and other
// containers never see it. Commit turns the upper layer into a new image layer.
def busybox = engine.image('busybox')
println "busybox has ${busybox.layerDirs.size()} read-only layer(s)"

def a = container('layer-a') {
    image 'busybox'
    network 'none'
    command 'sh', '-c', 'echo "written in layer-a" > /etc/motd && rm /bin/echo && echo ready && sleep 600'
}
a.start()
a.waitFor log: /ready/, timeout: 10.seconds

// Copy-on-write: the change is in a's upper layer, on the host ...
def upper = new File(a.state.rootfs.upperDir as String)
assert new File(upper, 'etc/motd').text == 'written in layer-a\n'
// ... and not in the image's layers, which are shared by every busybox container.
assert busybox.layerDirs.every { !new File(it.toFile(), 'etc/motd').exists() }
assert busybox.layerDirs.any { new File(it.toFile(), 'bin/echo').exists() }

// Another container from the same image sees the image as it was.
def b = container('layer-b') {
    image 'busybox'
    network 'none'
    command 'sh', '-c', 'test ! -e /etc/motd && test -e /bin/echo && echo pristine'
}.run()
assert b.output.trim() == 'pristine'
println "layers: a's writes and deletes stay in its upper layer; b sees the pristine image"

// Commit: a's changes become an image of their own, one layer on top of busybox's.
def imageId = a.commit('samples/layered:1')
def layered = engine.image('samples/layered:1')
assert layered.id == imageId
assert layered.layerDirs.size() == busybox.layerDirs.size() + 1
def c = container('layer-c') {
    image 'samples/layered:1'
    network 'none'
    command 'sh', '-c', 'cat /etc/motd; test -e /bin/echo || echo "echo is gone"'
}.run()
assert c.output == 'written in layer-a\necho is gone\n'
println "commit: samples/layered:1 (${layered.shortId()}) has a's changes on top of busybox's layers"
