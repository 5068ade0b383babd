/* SPDX-License-Identifier: MIT */
/*
 * host-lockstep [--seed N --steps M] [--keep-trace FILE] [STEPS.bin ...]
 *
 * The host differential test: the hypervisor's portable core, compiled
 * for the host over a fake machine, plays compiled steps (files, or a
 * fuzz seed); its trace is then checked against the reference model.
 * Each run is a fresh process (the core's state is global, as in the
 * real hypervisor).  At a divergence the run is repeated — it is
 * deterministic — with the hypervisor's abstract state recorded after
 * that step, so the report shows both states side by side.
 *
 * Exit 0 when every run passes.
 */
#define _POSIX_C_SOURCE 200809L /* fork, mkstemp, open_memstream, clock_gettime */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checker.h"
#include "fake_arch.h"
#include "fuzz.h"
#include "host_machine.h"

/* Runs the steps in a child process; returns its trace text (malloc'ed). */
static char *run_core(const struct steps_list *steps, uint64_t states_seq, size_t *len)
{
    char path[] = "/tmp/host-lockstep-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("host-lockstep: mkstemp");
        return NULL;
    }
    unlink(path);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("host-lockstep: fork");
        close(fd);
        return NULL;
    }
    if (pid == 0) {
        char err[512];
        int rc = 0;
        fake_trace_states_at(states_seq);
        if (host_machine_boot(err, sizeof err) || host_machine_play(steps, err, sizeof err)) {
            fprintf(stderr, "host-lockstep: %s: %s\n", steps->name, err);
            rc = 1;
        }
        size_t n;
        const char *text = fake_trace_text(&n);
        while (n) {
            ssize_t w = write(fd, text, n);
            if (w <= 0)
                _exit(3);
            text += w;
            n -= (size_t)w;
        }
        _exit(rc); /* the core's memory is the process's: no leak report */
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
        fprintf(stderr, "host-lockstep: %s: the hypervisor core's process %s %d\n",
                steps->name, WIFEXITED(status) ? "exited with" : "died of signal",
                WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    off_t size = lseek(fd, 0, SEEK_END);
    char *buf = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (!buf || lseek(fd, 0, SEEK_SET) < 0) {
        free(buf);
        close(fd);
        return NULL;
    }
    size_t got = 0;
    while (got < (size_t)size) {
        ssize_t r = read(fd, buf + got, (size_t)size - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    *len = got;
    return buf;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *keep_trace; /* --keep-trace: the last run's trace text */

/* Check one run; 0 = pass. */
static int check_run(const struct steps_list *steps, uint64_t states_seq, FILE *out,
                     struct lockstep_result *res)
{
    size_t len;
    char *text = run_core(steps, states_seq, &len);
    if (!text)
        return 1;
    FILE *kf = keep_trace && states_seq == UINT64_MAX ? fopen(keep_trace, "w") : NULL;
    if (kf) {
        fwrite(text, 1, len, kf);
        fclose(kf);
    }
    static struct trace t;
    char err[512];
    memset(&t, 0, sizeof t);
    int rc;
    if (trace_parse_text(&t, text, len, err, sizeof err)) {
        fprintf(out, "%s: the trace does not parse: %s\n", steps->name, err);
        rc = 1;
    } else {
        struct lockstep_options opt = {out, NULL, NULL, NULL};
        rc = lockstep_check(steps, &t, &opt, res);
    }
    trace_free(&t);
    free(text);
    return rc;
}

static int run_one(const struct steps_list *steps)
{
    double t0 = now();
    struct lockstep_result res;
    char *report = NULL;
    size_t report_len = 0;
    FILE *mem = open_memstream(&report, &report_len);
    if (!mem)
        return 1;
    int rc = check_run(steps, UINT64_MAX, mem, &res);
    fclose(mem);
    double secs = now() - t0;
    if (rc && !res.passed && res.records > 0) {
        /* Once more, recording the hypervisor's state after the step
         * that diverged. */
        fprintf(stdout, "%s: diverged; rerunning to record the hypervisor's "
                "state after seq %llu\n", steps->name, (unsigned long long)res.seq);
        struct lockstep_result again;
        check_run(steps, res.seq, stdout, &again);
    } else {
        fputs(report, stdout);
    }
    if (rc == 0)
        printf("  %.2f s, %.0f steps/s (core under test, trace parse and model "
               "check)\n", secs, steps->n / (secs > 0 ? secs : 1e-9));
    free(report);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: host-lockstep [--seed N --steps M] [--keep-trace FILE] "
                    "[STEPS.bin ...]\n");
    return 2;
}

int main(int argc, char **argv)
{
    unsigned long long seed = 0, steps = 0;
    int have_seed = 0, have_steps = 0, failed = 0, runs = 0;
    for (int i = 1; i < argc; i++) {
        char *end;
        if ((strcmp(argv[i], "--seed") == 0 || strcmp(argv[i], "--steps") == 0) &&
            i + 1 < argc) {
            int is_seed = argv[i][2] == 's' && argv[i][3] == 'e';
            errno = 0;
            unsigned long long v = strtoull(argv[++i], &end, 0);
            if (*end || errno || argv[i][0] == '-')
                return usage();
            if (is_seed)
                seed = v, have_seed = 1;
            else
                steps = v, have_steps = 1;
        } else if (strcmp(argv[i], "--keep-trace") == 0 && i + 1 < argc) {
            keep_trace = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage();
        }
    }
    if (have_seed != have_steps || steps > 10000000)
        return usage();
    if (have_seed) {
        static struct steps_list l;
        char err[256];
        if (fuzz_generate(seed, (uint32_t)steps, &l, err, sizeof err)) {
            fprintf(stderr, "host-lockstep: %s\n", err);
            return 1;
        }
        failed += run_one(&l) != 0;
        runs++;
        steps_list_free(&l);
    }
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seed") == 0 || strcmp(argv[i], "--steps") == 0 ||
            strcmp(argv[i], "--keep-trace") == 0) {
            i++;
            continue;
        }
        static struct steps_list l;
        char err[512];
        if (steps_read(argv[i], &l, err, sizeof err)) {
            fprintf(stderr, "host-lockstep: %s\n", err);
            failed++;
        } else {
            failed += run_one(&l) != 0;
        }
        runs++;
        steps_list_free(&l);
    }
    if (runs == 0)
        return usage();
    if (runs > 1)
        printf("host-lockstep: %d runs, %d failed\n", runs, failed);
    return failed ? 1 : 0;
}
