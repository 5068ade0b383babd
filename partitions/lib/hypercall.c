/* SPDX-License-Identifier: MIT */
#include "hypercall.h"

#include "../../kernel/abi/partition_boot.h"

static uint8_t own_input[4096] __attribute__((aligned(4096)));
static uint8_t own_output[4096] __attribute__((aligned(4096)));
uint8_t *hv_input_page = own_input;
uint8_t *hv_output_page = own_output;

void hv_use_parameter_pages(void *in, void *out)
{
    hv_input_page = in;
    hv_output_page = out;
}

static int use_vmcall;

static void cpuid(uint32_t leaf, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(0));
}

int hv_detect(void)
{
    uint32_t r[4];
    cpuid(HV_CPUID_VENDOR_LEAF, r);
    const char *sig = HV_CPUID_SIGNATURE;
    for (int i = 0; i < 12; i++)
        if ((char)(r[1 + i / 4] >> (8 * (i % 4))) != sig[i])
            return 0;
    cpuid(HV_CPUID_INTERFACE_LEAF, r);
    use_vmcall = r[1] == HV_BACKEND_VMX;
    return 1;
}

/* RCX is in and out: on a rep continuation the hypervisor rewrites its rep
 * start index and the same instruction runs again, so the compiler must not
 * assume RCX still holds `input` afterwards. */
uint64_t hv_hypercall(uint64_t input, uint64_t in_gpa, uint64_t out_gpa)
{
    uint64_t result;
    register uint64_t r8 __asm__("r8") = out_gpa;
    if (use_vmcall)
        __asm__ volatile("vmcall"
                         : "=a"(result), "+c"(input), "+r"(r8)
                         : "d"(in_gpa)
                         : "memory");
    else
        __asm__ volatile("vmmcall"
                         : "=a"(result), "+c"(input), "+r"(r8)
                         : "d"(in_gpa)
                         : "memory");
    return result;
}

hv_status_t hv_call(uint16_t code, const void *in, void *out)
{
    return hv_status_of(hv_hypercall(code, (uint64_t)(uintptr_t)in, (uint64_t)(uintptr_t)out));
}

hv_status_t hv_call_fast(uint16_t code, uint64_t a, uint64_t b)
{
    return hv_status_of(hv_hypercall(HV_HYPERCALL_INPUT(code, 1, 0, 0), a, b));
}

const char *hv_status_name(hv_status_t st)
{
    switch (st) {
    case HV_STATUS_SUCCESS: return "SUCCESS";
    case HV_STATUS_INVALID_HYPERCALL_CODE: return "INVALID_HYPERCALL_CODE";
    case HV_STATUS_INVALID_HYPERCALL_INPUT: return "INVALID_HYPERCALL_INPUT";
    case HV_STATUS_INVALID_ALIGNMENT: return "INVALID_ALIGNMENT";
    case HV_STATUS_INVALID_PARAMETER: return "INVALID_PARAMETER";
    case HV_STATUS_ACCESS_DENIED: return "ACCESS_DENIED";
    case HV_STATUS_INVALID_PARTITION_STATE: return "INVALID_PARTITION_STATE";
    case HV_STATUS_OPERATION_DENIED: return "OPERATION_DENIED";
    case HV_STATUS_INSUFFICIENT_MEMORY: return "INSUFFICIENT_MEMORY";
    case HV_STATUS_INVALID_PARTITION_ID: return "INVALID_PARTITION_ID";
    case HV_STATUS_INVALID_VP_INDEX: return "INVALID_VP_INDEX";
    case HV_STATUS_INVALID_PORT_ID: return "INVALID_PORT_ID";
    case HV_STATUS_INVALID_CONNECTION_ID: return "INVALID_CONNECTION_ID";
    case HV_STATUS_INSUFFICIENT_BUFFERS: return "INSUFFICIENT_BUFFERS";
    case HV_STATUS_INVALID_VP_STATE: return "INVALID_VP_STATE";
    case HV_STATUS_NO_DATA: return "NO_DATA";
    case HV_STATUS_INVALID_REGISTER_VALUE: return "INVALID_REGISTER_VALUE";
    }
    return "UNKNOWN_STATUS";
}
