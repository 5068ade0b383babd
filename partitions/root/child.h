/* SPDX-License-Identifier: MIT */
/*
 * The root as partition manager: building a child partition out of the
 * root's own memory with hypercalls, the way the Hyper-V root does it.
 *
 * A child's guest-physical layout:
 *   0x000000  page tables (PML4, PDPT, PD): identity over the first GiB
 *   0x010000  stack (16 KiB, top at 0x014000)
 *   0x100000  the image (ELF segments at their addresses), or raw code
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "../lib/runtime.h"

#define CHILD_STACK_TOP 0x14000ull
#define CHILD_IMAGE_BASE 0x100000ull

struct child {
    uint64_t id;
    char name[16];
    uint64_t entry;
};

/* Root pages for children come from root_pages.h. */
void child_memory_init(const struct partition_boot_info *info);
/* `pages` contiguous zeroed root pages to share with child c (channel
 * rings), held until the child is deleted; NULL if none are left. */
void *child_ring_pages(const struct child *c, uint32_t pages);

/* A child with one VP and nothing in its GPA space yet (no page tables, no
 * stack): for guests that bring their own layout (linux_child.c). */
int child_create_bare(struct child *c, const char *name);
/* Creates and fills a child from an ELF64 image (not started: the caller
 * may give it ports first); 0 or a status. */
int child_create_elf(struct child *c, const char *name, const void *elf, size_t size);
/* Starts its VP 0 at the image's entry point. */
int child_start(struct child *c);
/* Stops the child for good (finalize, delete: its memory is the root's
 * again) and says so on the console; 0 or a status. */
int child_remove(const struct child *c);
/* The same without a word on the console. */
int child_delete(const struct child *c);
/* Maps root page `page` at the child's GPA page `gpa_page` with
 * HV_MAP_GPA_* `flags` (one MapGpaPages element); 0 or a status. */
int child_map_page(uint64_t id, uint64_t gpa_page, uint64_t page, uint32_t flags);
/* Gives child c `pages` of RAM at GPA page `gpa_page` onwards: contiguous
 * zeroed root pages (*first is the first), mapped read-write-execute with
 * rep MapGpaPages calls; 0 or a status. */
int child_add_ram(const struct child *c, uint64_t gpa_page, uint64_t pages, uint64_t *first);
/* The two halves of child_add_ram, for a caller that fills the pages while
 * they are still the root's (mapping them into the child takes them from
 * the root): `pages` contiguous zeroed root pages held for child c (the
 * first page number, 0 if none are left); mapping them at gpa_page on. */
uint64_t child_take_ram(const struct child *c, uint64_t pages);
int child_map_ram(const struct child *c, uint64_t gpa_page, uint64_t first, uint64_t pages);
/* Creates, fills and starts a child from raw code at CHILD_IMAGE_BASE. */
int child_create_code(struct child *c, const char *name, const void *code, size_t size);

/* The news SINT's event flags, taken and cleared: bit (id mod 64) is set
 * for a child whose VP the hypervisor stopped.  0 if the call fails. */
uint64_t child_news(void);
