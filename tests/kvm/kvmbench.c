/* SPDX-License-Identifier: MIT */
/* kvmbench: the KVM side of make bench's kvm row (ci/bench-kvm.sh,
 * docs/architecture/kvm-peer.md).  A minimal user-space VMM on /dev/kvm
 * that counts, with the TSC, what one VM-exit round trip costs KVM: a
 * one-vCPU VM runs a tiny real-mode guest whose loop does one exiting
 * instruction per pass.
 *   kvmbench N
 * For each case, a warm-up, then a loop of N round trips and one of 2N;
 * the difference, divided by N, is the cost of one round trip with the
 * fixed costs cancelled (kvm_count.c).  Under QEMU -icount shift=0 the TSC
 * advances one tick per executed instruction, so the counts are
 * instructions of the whole emulated machine: the guest's, and the L1
 * kernel's and VMM's.  Prints one line per case,
 *   kvm: CASE n=N ticks_n=T ticks_2n=T2 per_trip=P.PP where=kernel|user
 * and "kvm: PASS" when every case exited as it must, else "kvm: FAIL: ..."
 * and exit status 1.
 *
 * The guest, at GPA 0x1000 in real mode (CS base 0, no paging: KVM on
 * AMD-V with NPT runs it as it is), keeps its pass count in ESI.  In-kernel
 * cases run their whole loop in one KVM_RUN and end with OUT to port 0xf0
 * (no in-kernel device there: an exit to here); user cases exit to here at
 * every pass and the loop is this program's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kvm_count.h"

#define GUEST_MEM 0x10000u
#define GUEST_CODE 0x1000u
/* Without a suffix: the guest's assembly uses them too (XSTR). */
#define DONE_PORT 0xf0       /* the in-kernel cases' end: not an in-kernel device */
#define USER_PORT 0x10       /* io-user: no in-kernel device either */
#define PIC_MASTER_DATA 0x21 /* io-kernel: the in-kernel 8259's mask register */
/* A hypercall number KVM does not know: kvm_emulate_hypercall answers
 * -KVM_ENOSYS (-1000) in RAX and resumes the guest, never leaving the
 * kernel (only KVM_HC_MAP_GPA_RANGE can exit to user space, and only when
 * enabled).  32-bit in real mode: the result is truncated to EAX. */
#define UNKNOWN_HYPERCALL 0xffff
#define KVM_ENOSYS_EAX 0xfffffc18u
#define STR(x) #x
#define XSTR(x) STR(x)
#define DONE "outb %al, $" XSTR(DONE_PORT) "\n"
/* One guest program: its code between the symbols NAME and NAME_end. */
#define GUEST(name, body)                                                                \
    ".globl " #name ", " #name "_end\n" #name ": " body #name "_end:\n"

/* The guest programs, 16-bit code copied to GUEST_CODE (only short
 * relative jumps: they run wherever they are put). */
/* clang-format off */
__asm__(".pushsection .rodata\n"
        ".code16\n"
        /* null: an unknown hypercall, handled in the kernel */
        GUEST(g_null, "1: movl $" XSTR(UNKNOWN_HYPERCALL) ", %eax\n vmmcall\n"
                      " decl %esi\n jnz 1b\n" DONE)
        /* cpuid: leaf 0, from the vCPU's CPUID table in the kernel */
        GUEST(g_cpuid, "1: xorl %eax, %eax\n cpuid\n decl %esi\n jnz 1b\n" DONE)
        /* io-kernel: read the master PIC's mask, the in-kernel irqchip's port */
        GUEST(g_iok, "1: inb $" XSTR(PIC_MASTER_DATA) ", %al\n decl %esi\n jnz 1b\n" DONE)
        /* empty: the same loop with no exit, to show what the loop costs */
        GUEST(g_empty, "1: nop\n decl %esi\n jnz 1b\n" DONE)
        /* io-user: OUT to a port no in-kernel device claims: KVM_EXIT_IO */
        GUEST(g_iou, "1: outb %al, $" XSTR(USER_PORT) "\n jmp 1b\n")
        /* hlt-user: HLT with no in-kernel irqchip: KVM_EXIT_HLT */
        GUEST(g_hlt, "1: hlt\n jmp 1b\n")
        ".code64\n"
        ".popsection\n");
/* clang-format on */
extern const unsigned char g_null[], g_null_end[], g_cpuid[], g_cpuid_end[], g_iok[],
    g_iok_end[], g_empty[], g_empty_end[], g_iou[], g_iou_end[], g_hlt[], g_hlt_end[];

struct kcase {
    const char *name;
    const unsigned char *code, *end;
    int irqchip; /* create the in-kernel PIC/IOAPIC/LAPIC first */
    int user;    /* every pass exits to here with this exit reason */
    uint32_t exit_reason;
};

static const struct kcase cases[] = {
    {"empty", g_empty, g_empty_end, 0, 0, 0},
    {"null", g_null, g_null_end, 0, 0, 0},
    {"cpuid", g_cpuid, g_cpuid_end, 0, 0, 0},
    {"io-kernel", g_iok, g_iok_end, 1, 0, 0},
    {"io-user", g_iou, g_iou_end, 0, 1, KVM_EXIT_IO},
    {"hlt-user", g_hlt, g_hlt_end, 0, 1, KVM_EXIT_HLT},
};

static int failed;

static void fail(const char *what, const char *c)
{
    printf("kvm: FAIL: %s: %s (errno %d: %s)\n", c, what, errno, strerror(errno));
    fflush(stdout);
    failed = 1;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

struct vm {
    int vm, cpu;
    struct kvm_run *run;
    size_t run_size;
    uint8_t *mem;
};

/* What KVM can give a guest for CPUID, asked once: a VMM sets the guest's
 * CPUID from it (without KVM_SET_CPUID2 every leaf reads zero). */
static struct {
    struct kvm_cpuid2 head;
    struct kvm_cpuid_entry2 entries[100];
} cpuid;

static int vm_create(int kvm, const struct kcase *c, struct vm *v)
{
    v->vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (v->vm < 0)
        return fail("KVM_CREATE_VM", c->name), -1;
    if (c->irqchip && ioctl(v->vm, KVM_CREATE_IRQCHIP, 0) < 0)
        return fail("KVM_CREATE_IRQCHIP", c->name), -1;
    v->mem =
        mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (v->mem == MAP_FAILED)
        return fail("mmap guest memory", c->name), -1;
    memcpy(v->mem + GUEST_CODE, c->code, (size_t)(c->end - c->code));
    struct kvm_userspace_memory_region r = {
        .slot = 0,
        .guest_phys_addr = 0,
        .memory_size = GUEST_MEM,
        .userspace_addr = (uint64_t)(uintptr_t)v->mem,
    };
    if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        return fail("KVM_SET_USER_MEMORY_REGION", c->name), -1;
    v->cpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
    if (v->cpu < 0)
        return fail("KVM_CREATE_VCPU", c->name), -1;
    if (ioctl(v->cpu, KVM_SET_CPUID2, &cpuid) < 0)
        return fail("KVM_SET_CPUID2", c->name), -1;
    int sz = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (sz <= 0)
        return fail("KVM_GET_VCPU_MMAP_SIZE", c->name), -1;
    v->run_size = (size_t)sz;
    v->run = mmap(NULL, (size_t)sz, PROT_READ | PROT_WRITE, MAP_SHARED, v->cpu, 0);
    if (v->run == MAP_FAILED)
        return fail("mmap kvm_run", c->name), -1;
    /* Real mode at 0:GUEST_CODE (the reset state's CS is f000 with base
     * ffff0000). */
    struct kvm_sregs s;
    if (ioctl(v->cpu, KVM_GET_SREGS, &s) < 0)
        return fail("KVM_GET_SREGS", c->name), -1;
    s.cs.base = 0;
    s.cs.selector = 0;
    if (ioctl(v->cpu, KVM_SET_SREGS, &s) < 0)
        return fail("KVM_SET_SREGS", c->name), -1;
    return 0;
}

static void vm_destroy(struct vm *v)
{
    munmap(v->run, v->run_size); /* else the vCPU, and the VM, live on */
    close(v->cpu);
    close(v->vm);
    munmap(v->mem, GUEST_MEM);
}

/* Start the guest's loop from its top with ESI = passes. */
static int set_loop(struct vm *v, const struct kcase *c, uint32_t passes)
{
    struct kvm_regs r;
    memset(&r, 0, sizeof r);
    r.rip = GUEST_CODE;
    r.rsi = passes;
    r.rflags = 2;
    if (ioctl(v->cpu, KVM_SET_REGS, &r) < 0)
        return fail("KVM_SET_REGS", c->name), -1;
    return 0;
}

/* One KVM_RUN that must end with the exit the case expects; for the
 * in-kernel cases, OUT to DONE_PORT. */
static int run_once(struct vm *v, const struct kcase *c)
{
    if (ioctl(v->cpu, KVM_RUN, 0) < 0)
        return fail("KVM_RUN", c->name), -1;
    uint32_t want = c->user ? c->exit_reason : KVM_EXIT_IO;
    uint32_t port = c->user ? USER_PORT : DONE_PORT;
    if (v->run->exit_reason != want) {
        errno = 0;
        printf("kvm: FAIL: %s: exit reason %u, expected %u\n", c->name,
               v->run->exit_reason, want);
        failed = 1;
        return -1;
    }
    if (want == KVM_EXIT_IO &&
        (v->run->io.port != port || v->run->io.direction != KVM_EXIT_IO_OUT)) {
        printf("kvm: FAIL: %s: I/O exit on port %#x, expected OUT to %#x\n", c->name,
               v->run->io.port, port);
        failed = 1;
        return -1;
    }
    return 0;
}

/* Ticks for `passes` round trips of case c. */
static int measure(struct vm *v, const struct kcase *c, uint32_t passes, uint64_t *ticks)
{
    uint64_t t0, t1;
    if (c->user) {
        t0 = rdtsc();
        for (uint32_t i = 0; i < passes; i++)
            if (run_once(v, c) < 0)
                return -1;
        t1 = rdtsc();
    } else {
        if (set_loop(v, c, passes) < 0)
            return -1;
        t0 = rdtsc();
        if (run_once(v, c) < 0)
            return -1;
        t1 = rdtsc();
        /* The exits really happened in the kernel: the guest got
         * their results. */
        struct kvm_regs r;
        if (ioctl(v->cpu, KVM_GET_REGS, &r) < 0)
            return fail("KVM_GET_REGS", c->name), -1;
        if (c->code == g_null && (uint32_t)r.rax != KVM_ENOSYS_EAX) {
            printf("kvm: FAIL: null: EAX %#x after the hypercall, expected -KVM_ENOSYS\n",
                   (uint32_t)r.rax);
            failed = 1;
            return -1;
        }
        if (c->code == g_cpuid && (uint32_t)r.rbx != 0x68747541u &&
            (uint32_t)r.rbx != 0x756e6547u) {
            printf("kvm: FAIL: cpuid: EBX %#x, not a vendor string\n", (uint32_t)r.rbx);
            failed = 1;
            return -1;
        }
    }
    *ticks = t1 - t0;
    return 0;
}

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1000;
    if (n == 0 || n > 0x7fffffffu) {
        printf("kvm: FAIL: usage: kvmbench N (N round trips, 1..2^31-1)\n");
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) {
        fail("open /dev/kvm", "setup");
        return 1;
    }
    cpuid.head.nent = sizeof cpuid.entries / sizeof cpuid.entries[0];
    if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, &cpuid) < 0) {
        fail("KVM_GET_SUPPORTED_CPUID", "setup");
        return 1;
    }
    printf("kvm: API version %d, %u round trips per loop (and %u)\n",
           ioctl(kvm, KVM_GET_API_VERSION, 0), n, 2 * n);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0] && !failed; i++) {
        const struct kcase *c = &cases[i];
        struct vm v;
        if (vm_create(kvm, c, &v) < 0)
            break;
        uint64_t warm, t_n, t_2n, per;
        char text[32];
        /* Warm-up: the first entries fault the guest's pages into the
         * nested page table and fill the caches of the L1 kernel. */
        if (measure(&v, c, n < 100 ? n : 100, &warm) < 0 || measure(&v, c, n, &t_n) < 0 ||
            measure(&v, c, 2 * n, &t_2n) < 0)
            break;
        if (!kvm_per_trip(t_n, t_2n, n, &per)) {
            errno = 0;
            printf("kvm: FAIL: %s: %llu ticks for 2N not above %llu for N\n", c->name,
                   (unsigned long long)t_2n, (unsigned long long)t_n);
            failed = 1;
            break;
        }
        printf("kvm: %s n=%u ticks_n=%llu ticks_2n=%llu per_trip=%s where=%s\n", c->name,
               n, (unsigned long long)t_n, (unsigned long long)t_2n,
               kvm_hundredths_text(per, text, sizeof text), c->user ? "user" : "kernel");
        vm_destroy(&v);
    }
    if (failed)
        return 1;
    printf("kvm: PASS\n");
    return 0;
}
