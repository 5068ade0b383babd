/* SPDX-License-Identifier: MIT */
/*
 * grade: runs a lab's tests and scores them (make grade LAB=n,
 * labs/README.md).
 *
 *   grade --lab DIR [--hidden DIR] [--results FILE] [--log DIR]
 *
 * DIR/tests lists the public tests, HIDDEN/tests (the staff's, never in a
 * student's tree) the hidden ones, one a line:
 *
 *   # name        points  after        backstop  command
 *   rep-calls     15      dispatch     240       bash labs/tools/lockstep-test.sh ...
 *
 * "after" is "-" or a comma-separated list of tests that must pass first:
 * if one did not, the test is skipped and scores nothing.  The command
 * runs with bash from the top of the tree; its exit status is the verdict:
 * 0 pass, 3 infrastructure failure (an emulator hung: nothing was judged),
 * anything else fail.  The test's own limits are in emulated work (the
 * steps of a scenario, the depth of the model's explorer); "backstop" is
 * wall-clock seconds after which the grader kills a test that stopped
 * making progress and reports an infrastructure failure, not a wrong
 * answer.  A failed test's reason is the tail of its output.
 *
 * Prints one line per test, then "Score: x/y" and "N passed, N failed";
 * exits 0 at full marks, 1 below, 2 if the grader itself could not run
 * (bad arguments, a bad tests file).  --results FILE writes Gradescope's
 * results.json, rewritten after every test.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TESTS_MAX 128
#define NAME_MAX_LEN 64
#define REASON_LINES 30

enum verdict { NOT_RUN, PASS, FAIL, SKIP, INFRA };

struct test {
    char name[NAME_MAX_LEN];
    int points;
    char after[256];
    int backstop;
    char *command;
    int hidden;
    enum verdict verdict;
    double seconds;
    char *output; /* what the grader shows for the test */
};

static struct test tests[TESTS_MAX];
static int ntests;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *xstrdup(const char *s)
{
    char *d = malloc(strlen(s) + 1);
    if (!d) {
        fprintf(stderr, "grade: out of memory\n");
        exit(2);
    }
    return strcpy(d, s);
}

static struct test *find(const char *name)
{
    for (int i = 0; i < ntests; i++)
        if (strcmp(tests[i].name, name) == 0)
            return &tests[i];
    return 0;
}

/* Reads a tests file; missing is fine for the hidden set only. */
static int load(const char *path, int hidden)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (hidden && errno == ENOENT)
            return 0;
        fprintf(stderr, "grade: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char line[4096];
    int lineno = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        line[strcspn(line, "\n")] = 0;
        char *s = line;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == 0 || *s == '#')
            continue;
        if (ntests == TESTS_MAX) {
            fprintf(stderr, "grade: %s:%d: more than %d tests\n", path, lineno,
                    TESTS_MAX);
            return -1;
        }
        struct test *t = &tests[ntests];
        memset(t, 0, sizeof *t);
        int used = 0;
        if (sscanf(s, "%63s %d %255s %d %n", t->name, &t->points, t->after, &t->backstop,
                   &used) != 4 ||
            s[used] == 0 || t->points < 0 || t->backstop <= 0) {
            fprintf(stderr,
                    "grade: %s:%d: expected 'name points after backstop command'\n", path,
                    lineno);
            return -1;
        }
        if (find(t->name)) {
            fprintf(stderr, "grade: %s:%d: test %s is listed twice\n", path, lineno,
                    t->name);
            return -1;
        }
        t->command = xstrdup(s + used);
        t->hidden = hidden;
        ntests++;
    }
    fclose(fp);
    return 0;
}

/* The last lines of a file, indented, as one string. */
static char *tail_of(const char *path, int lines)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return xstrdup("");
    fseek(fp, 0, SEEK_END);
    long size = ftell(fp);
    long from = size > 65536 ? size - 65536 : 0;
    fseek(fp, from, SEEK_SET);
    char *buf = malloc((size_t)(size - from) + 1);
    if (!buf)
        exit(2);
    size_t n = fread(buf, 1, (size_t)(size - from), fp);
    fclose(fp);
    buf[n] = 0;
    while (n > 0 && buf[n - 1] == '\n')
        buf[--n] = 0;
    size_t start = n;
    int seen = 0;
    while (start > 0) {
        if (buf[start - 1] == '\n' && ++seen == lines)
            break;
        start--;
    }
    char *out = malloc(2 * (n - start) + 64 * (size_t)lines + 64);
    if (!out)
        exit(2);
    char *o = out;
    const char *p = buf + start;
    while (*p) {
        o += sprintf(o, "      | ");
        while (*p && *p != '\n')
            *o++ = *p++;
        *o++ = '\n';
        if (*p)
            p++;
    }
    *o = 0;
    free(buf);
    return out;
}

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c == '\t')
            fputs("\\t", fp);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(fp, "\\u%04x", c < 0x80 ? c : 0xfffd);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static const char *verdict_name(enum verdict v)
{
    switch (v) {
    case PASS: return "PASS";
    case FAIL: return "FAIL";
    case SKIP: return "SKIP";
    case INFRA: return "INFRA";
    default: return "-";
    }
}

/* Gradescope's results.json: every test run so far. */
static void write_results(const char *path, double started)
{
    if (!path)
        return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        fprintf(stderr, "grade: %s: %s\n", tmp, strerror(errno));
        return;
    }
    fprintf(fp, "{\n  \"execution_time\": %.0f,\n  \"tests\": [", now() - started);
    int first = 1;
    for (int i = 0; i < ntests; i++) {
        struct test *t = &tests[i];
        if (t->verdict == NOT_RUN)
            continue;
        fprintf(fp, "%s\n    {\"name\": ", first ? "" : ",");
        first = 0;
        json_string(fp, t->name);
        fprintf(fp,
                ", \"number\": \"%d\", \"score\": %d, \"max_score\": %d, \"status\": "
                "\"%s\", ",
                i + 1, t->verdict == PASS ? t->points : 0, t->points,
                t->verdict == PASS ? "passed" : "failed");
        fprintf(fp, "\"visibility\": \"%s\", \"output\": ",
                t->hidden ? "after_due_date" : "visible");
        char head[128];
        snprintf(head, sizeof head, "%s (%.1f s)\n", verdict_name(t->verdict),
                 t->seconds);
        char *text = malloc(strlen(head) + strlen(t->output ? t->output : "") + 1);
        if (!text)
            exit(2);
        strcpy(text, head);
        strcat(text, t->output ? t->output : "");
        json_string(fp, text);
        free(text);
        fputc('}', fp);
    }
    fprintf(fp, "\n  ]\n}\n");
    if (fclose(fp) == 0)
        rename(tmp, path);
}

static int mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *s = buf + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(buf, 0755);
            *s = '/';
        }
    return mkdir(buf, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void run(struct test *t, const char *logdir)
{
    char log[1024];
    snprintf(log, sizeof log, "%.900s/%.63s.log", logdir, t->name);
    setenv("GRADE_TEST", t->name, 1);
    double start = now();
    pid_t pid = fork();
    if (pid < 0) {
        t->verdict = INFRA;
        t->output = xstrdup("      | grade: fork failed\n");
        return;
    }
    if (pid == 0) {
        setpgid(0, 0);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_RDONLY);
        if (fd < 0 || null < 0)
            _exit(3);
        dup2(null, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        execl("/bin/bash", "bash", "-c", t->command, (char *)0);
        _exit(3);
    }
    setpgid(pid, pid);
    int status = 0, killed = 0;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            status = 3 << 8;
            break;
        }
        if (!killed && now() - start > t->backstop) {
            kill(-pid, SIGKILL);
            killed = 1;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, 0);
    }
    kill(-pid, SIGKILL); /* whatever the test left behind (an emulator) */
    t->seconds = now() - start;
    char *tail = tail_of(log, REASON_LINES);
    char note[1536] = "";
    if (killed) {
        t->verdict = INFRA;
        snprintf(note, sizeof note,
                 "      infrastructure failure: no result after the %d s backstop; the "
                 "test was "
                 "stopped and nothing was judged (rerun it; log %.1000s)\n",
                 t->backstop, log);
    } else if (WIFSIGNALED(status)) {
        t->verdict = FAIL;
        snprintf(note, sizeof note,
                 "      the test program died of signal %d (log %.1000s)\n",
                 WTERMSIG(status), log);
    } else if (WEXITSTATUS(status) == 0) {
        t->verdict = PASS;
    } else if (WEXITSTATUS(status) == 3) {
        t->verdict = INFRA;
        snprintf(note, sizeof note,
                 "      infrastructure failure: the emulator did not finish; nothing was "
                 "judged "
                 "(log %.1000s)\n",
                 log);
    } else {
        t->verdict = FAIL;
        snprintf(note, sizeof note, "      log: %.1000s\n", log);
    }
    if (t->verdict == PASS) {
        free(tail);
        t->output = xstrdup("");
        return;
    }
    t->output = malloc(strlen(tail) + strlen(note) + 1);
    if (!t->output)
        exit(2);
    strcpy(t->output, tail);
    strcat(t->output, note);
    free(tail);
}

/* The first prerequisite of t that did not pass, or 0. */
static const char *blocked_by(const struct test *t, char *missing, size_t size)
{
    if (strcmp(t->after, "-") == 0)
        return 0;
    char list[256];
    snprintf(list, sizeof list, "%s", t->after);
    for (char *name = strtok(list, ","); name; name = strtok(0, ",")) {
        struct test *dep = find(name);
        if (!dep) {
            snprintf(missing, size, "%s (no such test)", name);
            return missing;
        }
        if (dep->verdict != PASS) {
            snprintf(missing, size, "%s", name);
            return missing;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *lab = 0, *hidden = 0, *results = 0, *logdir = "build/grade";
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--lab") == 0)
            lab = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--hidden") == 0)
            hidden = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--results") == 0)
            results = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--log") == 0)
            logdir = argv[++i];
        else {
            fprintf(
                stderr,
                "usage: grade --lab DIR [--hidden DIR] [--results FILE] [--log DIR]\n");
            return 2;
        }
    }
    if (!lab) {
        fprintf(stderr, "grade: --lab DIR is required\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/tests", lab);
    if (load(path, 0))
        return 2;
    int public_tests = ntests;
    if (hidden) {
        snprintf(path, sizeof path, "%s/tests", hidden);
        struct stat st;
        if (stat(hidden, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "grade: no hidden test folder %s\n", hidden);
            return 2;
        }
        if (load(path, 1))
            return 2;
    }
    for (int i = 0; i < ntests; i++) {
        if (strcmp(tests[i].after, "-") != 0) {
            char list[256];
            snprintf(list, sizeof list, "%s", tests[i].after);
            for (char *name = strtok(list, ","); name; name = strtok(0, ",")) {
                struct test *dep = find(name);
                if (!dep || dep >= &tests[i]) {
                    fprintf(
                        stderr,
                        "grade: test %s comes after %s, which is not listed before it\n",
                        tests[i].name, name);
                    return 2;
                }
            }
        }
    }
    if (mkdir_p(logdir)) {
        fprintf(stderr, "grade: cannot create %s\n", logdir);
        return 2;
    }
    setenv("LAB_DIR", lab, 1);
    setenv("HIDDEN_DIR", hidden ? hidden : "", 1);
    setenv("GRADE_LOG", logdir, 1);
    signal(SIGPIPE, SIG_IGN);

    printf("grading %s: %d public tests, %d hidden\n", lab, public_tests,
           ntests - public_tests);
    fflush(stdout);
    double started = now();
    int score = 0, total = 0, passed = 0, failed = 0, skipped = 0, infra = 0;
    write_results(results, started);
    for (int i = 0; i < ntests; i++) {
        struct test *t = &tests[i];
        total += t->points;
        char missing[128];
        if (blocked_by(t, missing, sizeof missing)) {
            t->verdict = SKIP;
            char why[256];
            snprintf(why, sizeof why,
                     "      skipped: it builds on %s, which did not pass\n", missing);
            t->output = xstrdup(why);
        } else {
            run(t, logdir);
        }
        if (t->verdict == PASS)
            score += t->points, passed++;
        else
            failed++, skipped += t->verdict == SKIP, infra += t->verdict == INFRA;
        char label[NAME_MAX_LEN + 16];
        snprintf(label, sizeof label, "%.63s%s", t->name, t->hidden ? " (hidden)" : "");
        printf("%-5s %3d/%-3d %-40s", verdict_name(t->verdict),
               t->verdict == PASS ? t->points : 0, t->points, label);
        if (t->verdict != SKIP)
            printf(" %6.1f s", t->seconds);
        printf("\n%s", t->verdict == PASS ? "" : t->output);
        fflush(stdout);
        write_results(results, started);
    }
    if (skipped)
        printf("%d test%s skipped because a test %s built on failed\n", skipped,
               skipped == 1 ? "" : "s", skipped == 1 ? "it" : "they");
    if (infra)
        printf("%d infrastructure failure%s: nothing was judged there; grade again\n",
               infra, infra == 1 ? "" : "s");
    printf("Score: %d/%d\n", score, total);
    printf("%d passed, %d failed\n", passed, failed);
    return score == total ? 0 : 1;
}
