/* SPDX-License-Identifier: MIT */
/*
 * host-lockstep [--seed N --steps M] [--keep-trace FILE] [STEPS.bin ...]
 * host-lockstep --stream --seed N --steps M
 *
 * The host differential test: the hypervisor's portable core, compiled
 * for the host over a fake machine, plays compiled steps (files, or a
 * fuzz seed); its trace is then checked against the reference model.
 * Each run is a fresh process (the core's state is global, as in the
 * real hypervisor).  At a divergence the run is repeated — it is
 * deterministic — with the hypervisor's abstract state recorded after
 * that step, so the report shows both states side by side.
 *
 * --stream (make soak): a run of any length.  The core's process
 * generates the seed's steps one at a time as it plays them and writes
 * its trace into a pipe as it goes; this process regenerates the same
 * steps from the seed and checks the trace as it arrives, a chunk of
 * records at a time.  Neither side holds more than a step and a chunk.
 *
 * Exit 0 when every run passes.
 */
#define _POSIX_C_SOURCE 200809L /* fork, mkstemp, open_memstream, clock_gettime */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checker.h"
#include "fake_arch.h"
#include "fuzz.h"
#include "host_exhaustion.h"
#include "host_intercepts.h"
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
        struct lockstep_options opt = {out, NULL, NULL, NULL, 1};
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

/* ---- --stream ------------------------------------------------------------ */

struct pipe_reader {
    FILE *f;
    struct trace *t;
    unsigned line_no;
    char *line;
    size_t cap;
    const char *name;
};

/* lockstep_check_stream's more(): the next records from the pipe. */
static int pipe_more(void *ctx)
{
    struct pipe_reader *r = ctx;
    r->t->dropped += r->t->n;
    r->t->n = 0;
    ssize_t len;
    while (r->t->n < 4096 && (len = getline(&r->line, &r->cap, r->f)) >= 0) {
        r->line_no++;
        if (len && r->line[len - 1] == '\n')
            len--;
        if (len && r->line[len - 1] == '\r')
            len--;
        if (len == 0)
            continue;
        char err[512];
        if (trace_parse_line(r->t, r->line, (size_t)len, r->line_no, err, sizeof err)) {
            fprintf(stderr, "host-lockstep: %s: the trace does not parse: %s\n", r->name, err);
            return -1;
        }
    }
    return (int)r->t->n;
}

/* The core's process of a streamed run: generate, play, trace into fd. */
static void __attribute__((noreturn)) stream_core(uint64_t seed, uint32_t steps,
                                                  uint64_t states_seq, int fd)
{
    char err[512];
    int rc = 0;
    struct fuzz_gen *g = malloc(sizeof *g);
    static struct scenario_step st;
    fake_trace_states_at(states_seq);
    fake_trace_stream(fd);
    if (!g || host_machine_boot(err, sizeof err)) {
        fprintf(stderr, "host-lockstep: %s\n", g ? err : "out of memory");
        _exit(1);
    }
    fuzz_begin(g, seed, steps);
    for (uint32_t i = 0;; i++) {
        int r = fuzz_next(g, &st);
        if (r == 0)
            break;
        if (r < 0) {
            fuzz_error(g, r, err, sizeof err);
            fprintf(stderr, "host-lockstep: fuzz seed %llu: %s\n", (unsigned long long)seed, err);
            rc = 1;
            break;
        }
        int p = host_machine_play_step(&st, i, err, sizeof err);
        if (p == 1)
            break;
        if (p < 0) {
            fprintf(stderr, "host-lockstep: fuzz seed %llu: %s\n", (unsigned long long)seed, err);
            rc = 1;
            break;
        }
    }
    if (rc == 0)
        host_machine_end();
    if (fake_trace_flush())
        _exit(3);
    _exit(rc); /* the core's memory is the process's: no leak report */
}

static int check_stream(uint64_t seed, uint32_t steps, uint64_t states_seq, FILE *out,
                        struct lockstep_result *res)
{
    int fds[2];
    memset(res, 0, sizeof *res);
    if (pipe(fds)) {
        perror("host-lockstep: pipe");
        return 1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("host-lockstep: fork");
        return 1;
    }
    if (pid == 0) {
        close(fds[0]);
        stream_core(seed, steps, states_seq, fds[1]);
    }
    close(fds[1]);
    static struct trace t;
    struct fuzz_source fs;
    char name[64];
    snprintf(name, sizeof name, "fuzz seed %llu", (unsigned long long)seed);
    struct pipe_reader r = {fdopen(fds[0], "r"), &t, 0, NULL, 0, name};
    int rc = 1;
    memset(&t, 0, sizeof t);
    if (r.f && fuzz_source_open(&fs, seed, steps) == 0) {
        if (pipe_more(&r) >= 0) {
            struct lockstep_options opt = {out, NULL, NULL, NULL, 1};
            rc = lockstep_check_stream(&fs.src, &t, pipe_more, &r, &opt, res);
        }
        fuzz_source_close(&fs);
    }
    kill(pid, SIGKILL); /* done with it (it has exited, unless the check stopped early) */
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(status) && WEXITSTATUS(status) > 1)
        fprintf(stderr, "host-lockstep: %s: the hypervisor core's process exited with %d\n",
                name, WEXITSTATUS(status));
    if (r.f)
        fclose(r.f);
    free(r.line);
    trace_free(&t);
    return rc;
}

static int run_stream(uint64_t seed, uint32_t steps)
{
    double t0 = now();
    struct lockstep_result res;
    int rc = check_stream(seed, steps, UINT64_MAX, stdout, &res);
    double secs = now() - t0;
    if (rc && !res.passed && res.records > 0) {
        printf("fuzz seed %llu: diverged; rerunning to record the hypervisor's "
               "state after seq %llu\n", (unsigned long long)seed, (unsigned long long)res.seq);
        struct lockstep_result again;
        check_stream(seed, steps, res.seq, stdout, &again);
    }
    if (rc == 0)
        printf("  %.2f s, %.0f steps/s (generated and checked as they went: core under "
               "test, trace parse and model check)\n", secs,
               (double)res.steps / (secs > 0 ? secs : 1e-9));
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: host-lockstep [--seed N --steps M] [--keep-trace FILE] "
                    "[STEPS.bin ...]\n"
                    "       host-lockstep --stream --seed N --steps M\n"
                    "       host-lockstep --intercepts SETUP.bin\n"
                    "       host-lockstep --pool-exhaustion SETUP.bin\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 3 && (strcmp(argv[1], "--intercepts") == 0 ||
                      strcmp(argv[1], "--pool-exhaustion") == 0)) {
        static struct steps_list l;
        char err[512];
        if (steps_read(argv[2], &l, err, sizeof err)) {
            fprintf(stderr, "host-lockstep: %s\n", err);
            return 1;
        }
        int rc = argv[1][2] == 'i' ? host_intercepts_check(&l, stdout)
                                   : host_exhaustion_check(&l, stdout);
        steps_list_free(&l);
        return rc ? 1 : 0;
    }
    unsigned long long seed = 0, steps = 0;
    int have_seed = 0, have_steps = 0, failed = 0, runs = 0, stream = 0;
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
        } else if (strcmp(argv[i], "--stream") == 0) {
            stream = 1;
        } else if (strcmp(argv[i], "--keep-trace") == 0 && i + 1 < argc) {
            keep_trace = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage();
        }
    }
    if (have_seed != have_steps || (steps > 10000000 && !stream) ||
        steps > 0xfffffffeull || (stream && (!have_seed || keep_trace)))
        return usage();
    if (stream) {
        for (int i = 1; i < argc; i++)
            if (argv[i][0] != '-' && strcmp(argv[i - 1], "--seed") && strcmp(argv[i - 1], "--steps"))
                return usage(); /* no files with --stream */
        return run_stream(seed, (uint32_t)steps) ? 1 : 0;
    }
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
