/* SPDX-License-Identifier: GPL-2.0 */
/* The interface between kfill.c (kernel code) and bench.c (userspace). */
#ifndef KFILL_H
#define KFILL_H

enum kb_path {
	KB_DEVICE,		/* memmap_init_device_pages(), device-private */
	KB_DEVICE_COMPOUND,	/* memmap_init_device_pages(), fsdax 2 MiB */
	KB_EARLY,		/* memmap_init_range(MEMINIT_EARLY) */
	KB_HOTPLUG,		/* memmap_init_range(MEMINIT_HOTPLUG) */
	KB_DEFERRED_INIT,	/* deferred init's init pass */
	KB_NR_PATHS,
};

int kb_setup(void *buf, unsigned long start_pfn, unsigned long nr_pages,
	     unsigned long llc_bytes);
int kb_run(int path, int mode, unsigned long pfn, unsigned long nr);
const char *kb_mode_name(int mode);
void kb_set_init_on_alloc(int on);
void kb_read_page(unsigned long pfn, void *out);
int kb_struct_page_size(void);
unsigned long kb_section_pages(void);

#endif
