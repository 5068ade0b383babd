/* SPDX-License-Identifier: MIT */
/*
 * The floor: what one VM exit and re-entry costs on this machine through
 * the backend's own vcpu_run, with nothing of the core around it.  Every
 * other per-call cost (make bench) is read against it.
 */
#pragma once

/* The boot option floor=N (N exits, 1..10,000,000): runs a one-page
 * real-mode guest that does nothing but the hypercall instruction, N times,
 * prints "floor: N exits, T TSC ticks, P TSC ticks per exit" and leaves no
 * trace (its vCPU, tables and page go back).  No option: does nothing. */
void floor_run(const char *cmdline);
