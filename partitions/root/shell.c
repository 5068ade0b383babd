/* SPDX-License-Identifier: MIT */
/*
 * The root's shell (root argument "shell"): commands on COM1 to start,
 * stop, restart and inspect child partitions.  The root owns COM1, so it
 * reads the UART itself: it polls the line status register and halts
 * between polls, which lets the children run and the timer tick wake it.
 *
 * For tests, "shell script=NAME" reads the commands from the boot module
 * NAME instead (one per line), echoed after the prompt as if typed.
 *
 * "shell idle-children=K" (make bench's idle row, ci/bench-idle.sh)
 * first starts K pinger children, which halt for good once they have said
 * ready: the root then waits with K live but idle children.
 */
#include "demo.h"

#include "../lib/console.h"
#include "../lib/hypercall.h"
#include "../lib/string_util.h"
#include "fleet.h"
#include "ports.h"
#include "root.h"
#include "text.h"

#define COM1 0x3f8
#define LSR_DATA_READY 0x01

static uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static void put(const char *s)
{
    console_write_com1(s, strlen(s));
}

/* Where commands come from: the UART, or a script module. */
static const char *script;
static uint64_t script_len, script_pos;

/* idle-tsc=N (make bench's idle row, ci/bench-idle.sh): with no input
 * for N TSC ticks, the shell quits; 0: it waits for ever. */
static uint64_t idle_deadline;

/* One line from the UART, echoed as typed; backspace edits.  0 if the
 * idle deadline passed first. */
static int read_uart_line(char *buf, size_t size)
{
    size_t n = 0;
    for (;;) {
        if (!(inb(COM1 + 5) & LSR_DATA_READY)) {
            if (idle_deadline && rdtsc_now() >= idle_deadline)
                return 0;
            fleet_poll(); /* children's messages and faults while we wait */
            __asm__ volatile("hlt");
            continue;
        }
        char c = (char)inb(COM1);
        if (c == '\r' || c == '\n') {
            put("\n");
            buf[n] = '\0';
            return 1;
        }
        if (c == 0x7f || c == '\b') {
            if (n > 0) {
                n--;
                put("\b \b");
            }
        } else if (c >= ' ' && c < 0x7f && n + 1 < size) {
            buf[n++] = c;
            console_write_com1(&c, 1);
        }
    }
}

/* The next script line, echoed; 0 at the end of the script. */
static int read_script_line(char *buf, size_t size)
{
    if (script_pos >= script_len)
        return 0;
    size_t n = 0;
    while (script_pos < script_len && script[script_pos] != '\n') {
        char c = script[script_pos++];
        if (c != '\r' && n + 1 < size)
            buf[n++] = c;
    }
    script_pos++; /* the '\n' */
    buf[n] = '\0';
    put(buf);
    put("\n");
    return 1;
}

/* Splits "cmd arg rest" in place; returns the number of words (up to 3). */
static int split(char *line, char *words[3])
{
    int n = 0;
    char *p = line;
    while (n < 3) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        words[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    return n;
}

/* A partition id: decimal digits only, at most 18 of them. */
static int parse_id(const char *s, uint64_t *id)
{
    uint64_t v = 0;
    int digits = 0;
    for (; *s; s++, digits++) {
        if (*s < '0' || *s > '9' || digits == 18)
            return 0;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *id = v;
    return digits > 0;
}

static void help(void)
{
    printf("commands:\n"
           "  help           this list\n"
           "  list           partitions and their state\n"
           "  start NAME     start a child from its boot module NAME.elf and serve it until its "
           "work is done\n"
           "  stop ID        finalize and delete child ID\n"
           "  restart ID     stop child ID and start its image again (it gets a new id)\n"
           "  stats [ID]     exits by reason, messages and channel bytes (all, or one partition)\n"
           "  quit           stop every child and shut the machine down\n"
           "children: %s\n",
           fleet_names());
}

/* The child named by the id argument, or NULL with a message. */
static struct fleet_child *child_arg(const char *cmd, int words, char *arg)
{
    uint64_t id;
    if (words < 2) {
        printf("%s: which partition? usage: %s ID (see list)\n", cmd, cmd);
        return 0;
    }
    if (!parse_id(arg, &id)) {
        printf("%s: '%s' is not a partition id; ids are numbers (see list)\n", cmd, arg);
        return 0;
    }
    if (id == HV_PARTITION_ID_ROOT) {
        printf("%s: partition 1 is the root itself; use quit to end the run\n", cmd);
        return 0;
    }
    struct fleet_child *fc = fleet_find(id);
    if (!fc)
        printf("%s: there is no child partition %llu (see list)\n", cmd, (unsigned long long)id);
    return fc;
}

/* Runs one command line; 1 when it was quit. */
static int run(char *line)
{
    char *w[3];
    int n = split(line, w);
    if (n == 0)
        return 0;
    if (n == 3) {
        printf("%s: too many arguments (type help)\n", w[0]);
        return 0;
    }
    if (strcmp(w[0], "help") == 0) {
        help();
    } else if (strcmp(w[0], "list") == 0) {
        fleet_list();
    } else if (strcmp(w[0], "start") == 0) {
        if (n < 2)
            printf("start: which child? usage: start NAME, one of: %s\n", fleet_names());
        else if (!fleet_known(w[1]))
            printf("start: no child called '%s'; known: %s\n", w[1], fleet_names());
        else
            fleet_start(w[1]);
    } else if (strcmp(w[0], "stop") == 0) {
        struct fleet_child *fc = child_arg("stop", n, w[1]);
        if (fc)
            fleet_stop(fc);
    } else if (strcmp(w[0], "restart") == 0) {
        struct fleet_child *fc = child_arg("restart", n, w[1]);
        char name[sizeof fc->c.name];
        if (fc) {
            memcpy(name, fc->c.name, sizeof name);
            if (fleet_stop(fc) == 0)
                fleet_start(name);
        }
    } else if (strcmp(w[0], "stats") == 0) {
        uint64_t id = 0;
        if (n == 2 && !parse_id(w[1], &id))
            printf("stats: '%s' is not a partition id; ids are numbers (see list)\n", w[1]);
        else if (fleet_table(id) < 0)
            printf("stats: there is no partition %llu (see list)\n", (unsigned long long)id);
    } else if (strcmp(w[0], "quit") == 0) {
        return 1;
    } else {
        printf("unknown command '%s' (type help for the list)\n", w[0]);
    }
    return 0;
}

#define IDLE_CHILDREN_MAX 4 /* of FLEET_MAX: what the idle row needs */

/* idle-children=K: K pingers that did their work and halt; 0 if all are
 * done, 1 (and a FAIL line) if not. */
static int start_idle_children(uint64_t k)
{
    for (uint64_t i = 0; i < k; i++) {
        struct fleet_child *fc = fleet_start("pinger");
        if (!fc || fc->state != FLEET_DONE) {
            printf("root: FAIL: idle child %llu of %llu (pinger) did not start and answer\n",
                   (unsigned long long)i + 1, (unsigned long long)k);
            return 1;
        }
    }
    printf("root: shell has %llu idle children (pinger, halted after their work)\n",
           (unsigned long long)k);
    return 0;
}

/* The idle children's exits by reason, summed, on one line for
 * ci/bench-idle.sh and tests/system/idle-bound.sh (the hypervisor's log
 * has only the root's: the children are deleted before shutdown). */
static void idle_children_exits(uint64_t k)
{
    uint64_t sum[HV_EXIT_REASON_COUNT] = {0}, total = 0;
    for (uint64_t id = HV_PARTITION_ID_ROOT + 1; id <= HV_PARTITION_ID_ROOT + FLEET_MAX; id++) {
        struct hv_output_exit_stats s;
        if (!fleet_find(id) || root_exit_stats(id, &s))
            continue;
        total += s.total;
        for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
            sum[r] += s.count[r];
    }
    printf("root: exits of the %llu idle children: %llu", (unsigned long long)k,
           (unsigned long long)total);
    for (int r = 0; r < HV_EXIT_REASON_COUNT; r++)
        printf(" %llu", (unsigned long long)sum[r]);
    printf("\n");
}

int root_shell(const struct partition_boot_info *info)
{
    char name[48];
    fleet_init(info);
    if (arg_value(info, "script", name, sizeof name)) {
        const struct partition_module *m = root_find_module(info, name);
        if (!m) {
            printf("root: FAIL: shell script module '%s' was not given\n", name);
            return 1;
        }
        script = (const char *)(uintptr_t)m->base;
        script_len = m->size;
        printf("root: shell reading commands from module %s\n", name);
    }
    printf("\nPartita root shell: you are the root partition's console on COM1.\n"
           "Type help for the commands; quit shuts the machine down.\n");
    uint64_t idle = arg_number(info, "idle-tsc", 0);
    uint64_t children = arg_number(info, "idle-children", 0);
    if (children > IDLE_CHILDREN_MAX) {
        printf("root: FAIL: idle-children must be 0 to %u\n", IDLE_CHILDREN_MAX);
        return 1;
    }
    if (children && start_idle_children(children)) {
        fleet_stop_all();
        return 1;
    }
    if (idle)
        idle_deadline = rdtsc_now() + idle;
    char line[80];
    for (;;) {
        put("partita> ");
        if (script) {
            if (!read_script_line(line, sizeof line)) {
                printf("(end of the script: quitting)\n");
                break;
            }
        } else if (!read_uart_line(line, sizeof line)) {
            printf("\nroot: shell idle for %llu TSC ticks without input: quitting at TSC %llu\n",
                   (unsigned long long)idle, (unsigned long long)rdtsc_now());
            if (children)
                idle_children_exits(children);
            break;
        }
        if (run(line))
            break;
    }
    printf("root: stopping every child and shutting down\n");
    fleet_stop_all();
    return 0;
}
