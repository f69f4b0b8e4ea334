#!/usr/bin/env hutch
// A cpu-quota benchmark with a chart: busy loops under --cpus 0.25, 0.5 and 1, measured from the
// container's own cgroup (cpu time used over wall time), drawn as bars.
// Usage: hutch cpu-quota.groovy [SECONDS_PER_QUOTA]
def window = (args ? args[0] as double : 2.0).seconds
def quotas = [0.25, 0.5, 1.0].findAll { it <= Runtime.runtime.availableProcessors() }

def results = quotas.collect { quota ->
    def spinner = container("cpu-${(quota * 100) as int}") {
        image 'busybox'
        network 'none'
        cpus quota
        // two busy loops, so a quota of 1 is not limited by a single thread
        command 'sh', '-c', '(while :; do :; done) & (while :; do :; done) & wait'
    }
    spinner.start()
    sleep 300                                   // let the loops start
    def before = spinner.stats()
    long t0 = System.nanoTime()
    sleep window.toMillis()
    def after = spinner.stats()
    def used = after.cpusSince(before, Duration.ofNanos(System.nanoTime() - t0))
    spinner.rm()
    [quota: quota, used: used, throttled: after.throttledPeriods - before.throttledPeriods]
}

println "cpu quota benchmark (${window.toMillis()} ms per quota)"
println "quota  used   " + "0" + " " * 39 + "1 cpu"
results.each { r ->
    def bar = '#' * Math.round(r.used * 40)
    printf("%-5s  %-5.2f  |%-40s| throttled periods: %d%n", r.quota, r.used, bar, r.throttled)
}

results.each { r ->
    // The quota holds: never noticeably above it, and the loops did get cpu time.
    assert r.used <= r.quota * 1.15 + 0.05 : "quota ${r.quota} exceeded: ${r.used}"
    assert r.used >= r.quota * 0.3 : "quota ${r.quota}: only ${r.used} cpus used (host busy?)"
    // The kernel throttles only a cgroup that used up its quota: on a busy host the loops under
    // --cpus 1 may never get a whole cpu, and then nothing is throttled, rightly.
    if (r.used >= r.quota * 0.9) assert r.throttled > 0 : "quota ${r.quota} was used up but never throttled"
}
