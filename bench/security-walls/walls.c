/*
 * What the two default walls cost the helper, measured with the helper's own code (security.o):
 * installing the seccomp filter, and loading and attaching the cgroup v2 device program.
 *
 *   walls ROUNDS SECCOMP_HEX DEVICE_HEX CGROUP_V2_DIR
 *
 * Each round, in a forked child like the helper's last steps: fork, exec /bin/true, wait — once
 * bare and once with no_new_privs + the filter installed just before the exec (so the exec and
 * true's own syscalls run under it), in alternating order. And in this process: load the device
 * program and attach it to a fresh cgroup made under CGROUP_V2_DIR (removed again at once).
 * Prints the medians: the filter's install alone, the paired difference of the two children, and
 * the program's load + attach, in microseconds.
 */
#define _GNU_SOURCE
#include "security.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return x < y ? -1 : x > y;
}

static double median_us(long long *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return (n % 2 ? (double)v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
}

/* fork, (filter), exec true, wait: the child's whole life in ns; *install gets the install time */
static long long child(const struct bpf_blob *filter, volatile long long *install)
{
    long long t0 = now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        if (filter) {
            long long a = now_ns();
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || seccomp_install(filter) < 0)
                _exit(111);
            *install = now_ns() - a;
        }
        execl("/bin/true", "true", (char *)NULL);
        _exit(112);
    }
    int st = 0;
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "walls: the child failed (status %d)\n", st);
        exit(1);
    }
    return now_ns() - t0;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: walls ROUNDS SECCOMP_HEX DEVICE_HEX CGROUP_V2_DIR\n");
        return 2;
    }
    int rounds = atoi(argv[1]);
    struct bpf_blob filter, prog;
    if (rounds < 1 || bpf_blob_from_hex("seccomp", argv[2], &filter) < 0 || bpf_blob_from_hex("device", argv[3], &prog) < 0) {
        fprintf(stderr, "walls: bad arguments\n");
        return 2;
    }
    volatile long long *install = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    long long *inst = calloc((size_t)rounds, sizeof *inst), *diff = calloc((size_t)rounds, sizeof *diff),
              *dev = calloc((size_t)rounds, sizeof *dev);
    char cg[4096];
    snprintf(cg, sizeof cg, "%s/walls-%d", argv[4], (int)getpid());
    for (int i = 0; i < 3; i++) { /* warm-up */
        child(NULL, install);
        child(&filter, install);
    }
    for (int i = 0; i < rounds; i++) {
        long long bare, walled;
        if (i % 2) {
            bare = child(NULL, install);
            walled = child(&filter, install);
        } else {
            walled = child(&filter, install);
            bare = child(NULL, install);
        }
        inst[i] = *install;
        diff[i] = walled - bare;
        if (mkdir(cg, 0755) < 0) {
            perror("walls: mkdir cgroup");
            return 1;
        }
        long long t0 = now_ns();
        int r = cgroup_device_attach(cg, &prog);
        dev[i] = now_ns() - t0;
        rmdir(cg);
        if (r < 0) {
            fprintf(stderr, "walls: %s\n", hutch_err);
            return 1;
        }
    }
    printf("seccomp install %.0f\n", median_us(inst, rounds));
    printf("seccomp paired %.0f\n", median_us(diff, rounds));
    printf("device program %.0f\n", median_us(dev, rounds));
    return 0;
}
