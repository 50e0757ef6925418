/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfill.c's view of the configuration, after the harness's autoconf.h: as
 * distributions ship the kernel (Debian 7.2: DEBUG_PAGE_REF off). The guest
 * kernel has CONFIG_DEBUG_PAGE_REF for one KUnit case (the page_ref_set
 * tracepoint forcing the slow path); in the slow path it adds a tracepoint
 * check to every set_page_count(), which the baseline here must not pay.
 */
#undef CONFIG_DEBUG_PAGE_REF
/*
 * Debian 7.2 builds with PREEMPT_DYNAMIC (preempt=none, voluntary, full or
 * lazy at boot), where cond_resched() is a static call that preempt=none
 * and voluntary make call __cond_resched(); the harness's guest kernel is
 * PREEMPT_LAZY alone, where cond_resched() compiles to nothing. As Debian,
 * so that kfill-bench -R sees every resched point.
 */
#define CONFIG_PREEMPT_DYNAMIC 1
