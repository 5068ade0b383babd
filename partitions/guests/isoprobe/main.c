/* SPDX-License-Identifier: MIT */
/*
 * isoprobe: the child of the isolation matrix (the root's test=isolation,
 * partitions/root/isolation.c; the rows and markers are in
 * partitions/lib/iso_state.h).
 *
 * A child gets no boot information, so its first message from the root
 * (ISO_MSG_ARGS, on its SINT 0) says what to do:
 *   keep   write its own marker into the row's state, tell the root
 *          (READY), wait for CHECK, read the state back and REPORT whether
 *          it is still its own;
 *   set    write its marker, tell the root (SET), halt for ever holding it;
 *   probe  a behaviour row: cpl3-hypercall, readonly-output, sensitive.
 * Every exception goes to its own IDT: a fault is reported, never a crash.
 */
#include "../../lib/hypercall.h"
#include "../../lib/iso_state.h"
#include "../../lib/runtime.h"
#include "../../lib/string_util.h"

#define ROOT_CONNECTION 1u /* the root gave us connection 1 to its port */
#define MSG_SINT 0u        /* the root's messages arrive here */
/* Where struct hv_input_sint goes in the input page, after a post block. */
#define WAIT_IN_OFFSET 512

static struct iso_cpu cpu;
static struct iso_msg args;
/* RSP0 (exceptions from CPL 3 land here), CPL 3's own stack, and a page
 * the sensitive instructions may name as an operand. */
static uint8_t kernel_stack[4096] __attribute__((aligned(16)));
static uint8_t user_stack[4096] __attribute__((aligned(16)));
static uint8_t scratch[4096] __attribute__((aligned(4096)));

static void halt_forever(void)
{
    for (;;)
        __asm__ volatile("hlt");
}

/* The PostMessage block of `m` to the root, in the input page. */
static void build_post(const void *payload, uint32_t size)
{
    struct hv_input_post_message *in = (void *)hv_input_page;
    memset(in, 0, sizeof *in);
    in->connection_id = ROOT_CONNECTION;
    in->message_type = 1;
    in->payload_size = size;
    memcpy(in->payload, payload, size);
}

/* Posts to the root, waiting while its queue is full. */
static void post(const struct iso_msg *m)
{
    for (;;) {
        build_post(m, sizeof *m);
        if (hv_call(HVCALL_POST_MESSAGE, hv_input_page, 0) !=
            HV_STATUS_INSUFFICIENT_BUFFERS)
            return;
        __asm__ volatile("hlt"); /* let the root read */
    }
}

static struct iso_msg reply(uint32_t kind, uint32_t status)
{
    struct iso_msg m;
    memset(&m, 0, sizeof m);
    m.magic = ISO_MAGIC;
    m.kind = kind;
    m.row = args.row;
    m.who = args.who;
    m.id = args.id;
    m.status = status;
    return m;
}

static void add_fault(struct iso_msg *m, int reading)
{
    m->status = ISO_FAULT;
    m->reading = (uint32_t)reading;
    m->item = iso_fault.item;
    m->vector = iso_fault.vector;
    m->error_code = iso_fault.error_code;
    m->fault_rip = iso_fault.rip;
    m->fault_cs = iso_fault.cs;
}

/* An exception outside any recovery point: say so, then stop here. */
static void unexpected(const struct iso_fault *f)
{
    (void)f;
    struct iso_msg m = reply(ISO_MSG_REPORT, ISO_FAULT);
    add_fault(&m, 0);
    post(&m);
    halt_forever();
}

/* The next message from the root; the child has nothing else to do. */
static void receive(struct iso_msg *m)
{
    struct hv_input_sint *in = (void *)hv_input_page;
    for (;;) {
        in->sint = MSG_SINT;
        in->reserved = 0;
        if (hv_call(HVCALL_PARTITA_READ_SINT_MESSAGE, hv_input_page, hv_output_page) ==
            HV_STATUS_SUCCESS)
            break;
        __asm__ volatile("hlt");
    }
    const struct hv_message *msg = (const void *)hv_output_page;
    memset(m, 0, sizeof *m);
    memcpy(m, msg->payload,
           msg->header.payload_size < sizeof *m ? msg->header.payload_size : sizeof *m);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, MSG_SINT, 0);
}

/* ---------------------------------------------------------- state rows */

/* Compares what is there with what should be: ISO_OK or `differs`. */
static void judge(struct iso_msg *m, const struct iso_state *now,
                  const struct iso_state *want, uint32_t differs)
{
    int i = iso_first_difference(now, want);
    if (i < 0)
        return;
    m->status = differs;
    m->item = (uint32_t)i;
    m->got = now->v[i];
    m->want = want->v[i];
}

/* Writes the marker and reads it back at once: a write that does not
 * stick would make the row pass for nothing. */
static struct iso_msg write_marker(uint32_t kind, const struct iso_state *mine)
{
    struct iso_msg m = reply(kind, ISO_OK);
    struct iso_state now;
    if (iso_write(args.row, mine))
        add_fault(&m, 0);
    else if (iso_read(args.row, &now))
        add_fault(&m, 1);
    else
        judge(&m, &now, mine, ISO_NOT_TAKEN);
    return m;
}

static void keep_state(const struct iso_state *mine)
{
    struct iso_msg m = write_marker(ISO_MSG_READY, mine);
    post(&m);
    if (m.status != ISO_OK)
        halt_forever();
    struct iso_msg check;
    receive(&check);
    struct iso_state now;
    m = reply(ISO_MSG_REPORT, ISO_OK);
    if (iso_read(args.row, &now))
        add_fault(&m, 1);
    else
        judge(&m, &now, mine, ISO_DIFFERS);
    post(&m);
    halt_forever();
}

static void set_state(const struct iso_state *mine)
{
    struct iso_msg m = write_marker(ISO_MSG_SET, mine);
    post(&m);
    halt_forever(); /* holding the marker: the root and the keep child read theirs now */
}

/* The general-purpose registers: written, held and read in assembly. */
static void hold_gprs(const struct iso_state *mine, int keep)
{
    struct iso_hold h;
    memset(&h, 0, sizeof h);
    memcpy(h.reg, mine->v, sizeof h.reg);
    struct iso_msg m = reply(keep ? ISO_MSG_READY : ISO_MSG_SET, ISO_OK);
    build_post(&m, sizeof m);
    struct hv_input_sint *wait = (void *)(hv_input_page + WAIT_IN_OFFSET);
    wait->sint = MSG_SINT;
    wait->reserved = 0;
    h.post_gpa = (uint64_t)(uintptr_t)hv_input_page;
    h.wait_gpa = keep ? (uint64_t)(uintptr_t)wait : 0; /* set: never returns */
    h.out_gpa = (uint64_t)(uintptr_t)hv_output_page;
    h.use_vmcall = cpu.backend == HV_BACKEND_VMX;
    iso_hold_gprs(&h);
    hv_call_fast(HVCALL_PARTITA_SINT_EOM, MSG_SINT, 0); /* that was CHECK */
    struct iso_state now = *mine;
    memcpy(now.v, h.reg, sizeof h.reg);
    m = reply(ISO_MSG_REPORT, ISO_OK);
    judge(&m, &now, mine, ISO_DIFFERS);
    post(&m);
    halt_forever();
}

/* ------------------------------------------------------ cpl3-hypercall */

/* Lets CPL 3 use the first GiB: the U bit in our own page tables (the
 * root built them supervisor-only). */
static void allow_user_pages(void)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    const uint64_t frame = 0x000ffffffffff000ull;
    volatile uint64_t *pml4 = (volatile uint64_t *)(uintptr_t)(cr3 & frame);
    volatile uint64_t *pdpt = (volatile uint64_t *)(uintptr_t)(pml4[0] & frame);
    volatile uint64_t *pd = (volatile uint64_t *)(uintptr_t)(pdpt[0] & frame);
    pml4[0] |= 4;
    pdpt[0] |= 4;
    for (int i = 0; i < 512; i++)
        pd[i] |= 4;
    __asm__ volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

static uint64_t cpl3_result; /* RAX after the call, if it ever returns at CPL 3 */

/*
 * IRETQ to CPL 3, HvCallPostMessage from there, then UD2 to come back.
 * The hypercall must raise #UD: the handler (CPL 0, through RSP0) then
 * sees vector 6 at the hypercall with CS.RPL 3.  If the call returns
 * instead, the UD2 brings us back and its RIP tells the two apart.
 * Either way the recovery point resumes here at CPL 0.
 */
static uint64_t call_from_cpl3(uint64_t in_gpa)
{
    uint64_t call_rip = 0;
    const uint64_t vmcall = cpu.backend == HV_BACKEND_VMX;
    const uint64_t user_rsp = (uint64_t)(uintptr_t)(user_stack + sizeof user_stack);
    __asm__ volatile(
        "lea 1f(%%rip), %%rax\n\t"
        "mov %%rax, %[rec_rip]\n\t"
        "mov %%rsp, %[rec_rsp]\n\t"
        "lea 6f(%%rip), %%rax\n\t"
        "test %[vmcall], %[vmcall]\n\t"
        "jnz 7f\n\t"
        "lea 8f(%%rip), %%rax\n"
        "7:\n\t"
        "mov %%rax, %[call_rip]\n\t"
        "pushq %[ss]\n\t"
        "pushq %[usp]\n\t"
        "pushq $0x2\n\t" /* RFLAGS: IF clear */
        "pushq %[cs]\n\t"
        "lea 2f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "iretq\n"
        "2:\n\t" /* CPL 3 from here */
        "mov $0x5c, %%ecx\n\t"
        "mov %[in], %%rdx\n\t"
        "xor %%r8d, %%r8d\n\t"
        "test %[vmcall], %[vmcall]\n\t"
        "jz 8f\n"
        "6:\n\t"
        "vmcall\n\t"
        "jmp 9f\n"
        "8:\n\t"
        "vmmcall\n"
        "9:\n\t"
        "mov %%rax, (%[res])\n\t"
        "ud2\n"
        "1:\n\t"
        "movq $0, %[rec_rip]"
        : [rec_rip] "=m"(iso_recover.rip), [rec_rsp] "=m"(iso_recover.rsp),
          [call_rip] "=m"(call_rip)
        : [ss] "i"(ISO_SEL_USER_DATA), [cs] "i"(ISO_SEL_USER_CODE), [usp] "r"(user_rsp),
          [in] "r"(in_gpa), [vmcall] "r"(vmcall), [res] "r"(&cpl3_result)
        : "rax", "rcx", "rdx", "r8", "memory");
    return call_rip;
}

/* arg[0] the hypercall's RIP, arg[1] RAX if the call returned, arg[2]
 * exceptions seen; vector, fault_rip, fault_cs the first one. */
static void cpl3_hypercall(void)
{
    static const char text[] = "posted from CPL 3";
    allow_user_pages();
    build_post(text, sizeof text - 1);
    cpl3_result = ~0ull;
    iso_fault_clear();
    uint64_t call_rip = call_from_cpl3((uint64_t)(uintptr_t)hv_input_page);
    struct iso_msg m = reply(ISO_MSG_REPORT, iso_fault.count ? ISO_FAULT : ISO_OK);
    if (iso_fault.count)
        add_fault(&m, 0);
    m.arg[0] = call_rip;
    m.arg[1] = cpl3_result;
    m.arg[2] = iso_fault.count;
    post(&m);
}

/* ----------------------------------------------------- readonly-output */

/* The root mapped ISO_RO_GPA readable only.  arg[0] the call's status,
 * arg[1] and arg[2] the page's first 8 bytes before and after the call. */
static void readonly_output(void)
{
    volatile const uint64_t *page = (volatile const uint64_t *)(uintptr_t)ISO_RO_GPA;
    struct iso_msg m = reply(ISO_MSG_REPORT, ISO_OK);
    m.arg[1] = page[0];
    struct hv_input_get_exit_stats *in = (void *)hv_input_page;
    in->partition_id = HV_PARTITION_ID_SELF;
    m.arg[0] = hv_status_of(hv_hypercall(HVCALL_PARTITA_GET_EXIT_STATS,
                                         (uint64_t)(uintptr_t)hv_input_page, ISO_RO_GPA));
    m.arg[2] = page[0];
    post(&m);
}

/* ----------------------------------------------------------- sensitive */

static uint64_t exits_other(void)
{
    struct hv_input_get_exit_stats *in = (void *)hv_input_page;
    in->partition_id = HV_PARTITION_ID_SELF;
    if (hv_call(HVCALL_PARTITA_GET_EXIT_STATS, hv_input_page, hv_output_page))
        return ~0ull;
    return ((const struct hv_output_exit_stats *)hv_output_page)->count[HV_EXIT_OTHER];
}

/* One INSN message per instruction from arg[0] on (a child the
 * hypervisor stopped is replaced by one that starts after it): arg[0]
 * the change of our `other` exit count, vector ISO_COMPLETES or the
 * exception we saw. */
static void sensitive(uint32_t first)
{
    if (cpu.xsave)
        iso_enable_osxsave(); /* XSETBV without it is #UD before anything else */
    for (uint32_t i = first; i < ISO_INSN_COUNT; i++) {
        struct iso_msg m = reply(ISO_MSG_INSN, ISO_OK);
        m.item = i;
        if (iso_insn(i)->needs_xsave && !cpu.xsave) {
            m.status = ISO_SKIPPED;
            post(&m);
            continue;
        }
        uint64_t before = exits_other();
        iso_fault_clear();
        iso_insn_run(i, scratch);
        uint32_t faults = iso_fault.count;
        struct iso_fault f = iso_fault;
        uint64_t after = exits_other();
        m.arg[0] = after - before;
        m.vector = faults ? f.vector : ISO_COMPLETES;
        m.error_code = f.error_code;
        m.fault_rip = f.rip;
        post(&m);
    }
    struct iso_msg done = reply(ISO_MSG_REPORT, ISO_OK);
    post(&done);
}

/* ---------------------------------------------------------------- main */

int partition_main(const struct partition_boot_info *info)
{
    (void)info; /* a child gets no boot information: its arguments come as a message */
    hv_detect();
    iso_cpu_detect(&cpu);
    iso_install_tables((uint64_t)(uintptr_t)(kernel_stack + sizeof kernel_stack),
                       unexpected);
    iso_enable_sse();
    receive(&args);
    if (args.magic != ISO_MAGIC || args.kind != ISO_MSG_ARGS)
        halt_forever();
    struct iso_state mine;
    iso_markers(args.row, args.who, args.id, &mine);
    if (args.row == ISO_GPRS && args.who != ISO_WHO_PROBE)
        hold_gprs(&mine, args.who == ISO_WHO_KEEP);
    else if (args.who == ISO_WHO_KEEP)
        keep_state(&mine);
    else if (args.who == ISO_WHO_SET)
        set_state(&mine);
    else if (args.row == ISO_CPL3_HYPERCALL)
        cpl3_hypercall();
    else if (args.row == ISO_READONLY_OUTPUT)
        readonly_output();
    else if (args.row == ISO_SENSITIVE)
        sensitive((uint32_t)args.arg[0]);
    halt_forever();
    return 0;
}
