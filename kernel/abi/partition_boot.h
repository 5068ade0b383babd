/* SPDX-License-Identifier: MIT */
/*
 * How the hypervisor hands a partition its first moment (the partition
 * boot protocol).  Shared by the hypervisor and the partitions; the model
 * does not need it.
 *
 * A partition image is an ELF64 executable.  Its vCPU starts in 64-bit
 * mode at the ELF entry point with:
 *   RDI  = guest-physical address of a struct partition_boot_info
 *   RSP  = a few KiB of scratch stack (the image should switch to its own)
 *   CR3  = identity page tables over the first 4 GiB of guest-physical
 *          space, built by the hypervisor in the partition's own memory
 *   GDT  = null, code 0x08, data 0x10; no IDT (any exception ends the
 *          partition with a triple-fault report)
 *   RFLAGS.IF = 0
 * CPUID leaf 0x40000000 names the hypervisor ("PartitaHyper"); leaf
 * 0x40000001 gives the interface version in EAX and, in EBX, the backend
 * (HV_BACKEND_VMX: hypercalls use VMCALL; HV_BACKEND_SVM: VMMCALL).
 */
#ifndef PARTITA_PARTITION_BOOT_H
#define PARTITA_PARTITION_BOOT_H

#include <stdint.h>

#define PARTITION_BOOT_MAGIC 0x544f4f4254524150ull /* "PARTBOOT" */
#define PARTITION_BOOT_MAX_RANGES 32
#define PARTITION_BOOT_CMDLINE 256
#define PARTITION_BOOT_MAX_MODULES 7

struct partition_memory_range {
    uint64_t base;  /* guest-physical */
    uint64_t pages; /* 4 KiB pages */
};

struct partition_boot_info {
    uint64_t magic;
    uint64_t partition_id;
    uint32_t backend; /* HV_BACKEND_* */
    uint32_t range_count;
    /* RAM the partition owns, ascending.  Holes are not RAM: for the root
     * they include every page the hypervisor keeps for itself. */
    struct partition_memory_range ranges[PARTITION_BOOT_MAX_RANGES];
    char cmdline[PARTITION_BOOT_CMDLINE];
    /* Boot modules after the root's own image (child images, a compiled
     * scenario): root RAM at these addresses. */
    uint32_t module_count;
    uint32_t reserved;
    struct partition_module {
        uint64_t base;
        uint64_t size;
        char name[48];
    } modules[PARTITION_BOOT_MAX_MODULES];
    /* Where the scenario control page is mapped, or 0. */
    uint64_t scenario_control;
    /* 1 in BUILD=mono: the device services run inside the hypervisor, so
     * the root sees no intercepts for them. */
    uint32_t services_in_hypervisor;
    uint32_t reserved2;
};

#define HV_CPUID_VENDOR_LEAF 0x40000000u
#define HV_CPUID_INTERFACE_LEAF 0x40000001u
#define HV_CPUID_SIGNATURE "PartitaHyper"
/* EAX: the TSC's frequency in kHz, measured by the hypervisor at boot. */
#define HV_CPUID_TIMING_LEAF 0x40000010u

#endif
