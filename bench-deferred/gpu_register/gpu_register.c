// SPDX-License-Identifier: GPL-2.0
/*
 * gpu_register: register SIZE_MIB of MEMORY_DEVICE_PRIVATE memory the way a
 * GPU driver registers its VRAM (request_free_mem_region() + memremap_pages()),
 * time it, unregister it (memunmap_pages()), LOOPS times, at module load.
 * One line per registration on the kernel log:
 *   gpu_register: size_mib=N loop=I register_ns=T unregister_ns=U
 * memremap_pages() initialises the memmap in memmap_init_zone_device(), so
 * the memmap:memmap_init tracepoint reports the same registrations with the
 * mode the memmap template subsystem used. The load fails (-ENOMEM, -EBUSY
 * or memremap_pages()'s error) when a registration fails: nothing is hidden.
 * Out of tree, for bench-deferred only: not part of the series.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

static unsigned long size_mib = 1024;
module_param(size_mib, ulong, 0444);
MODULE_PARM_DESC(size_mib, "device-private memory per registration, MiB (a multiple of 128)");
static unsigned int loops = 1;
module_param(loops, uint, 0444);
MODULE_PARM_DESC(loops, "registrations to time");

static void gpu_folio_free(struct folio *folio)
{
}

static vm_fault_t gpu_migrate_to_ram(struct vm_fault *vmf)
{
	return VM_FAULT_SIGBUS;
}

static const struct dev_pagemap_ops gpu_ops = {
	.folio_free	= gpu_folio_free,
	.migrate_to_ram	= gpu_migrate_to_ram,
};

static int gpu_register_once(unsigned int loop)
{
	unsigned long size = size_mib << 20;
	struct dev_pagemap *pgmap;
	struct resource *res;
	u64 t0, t1, t2;
	void *addr;
	int ret = 0;

	pgmap = kzalloc(sizeof(*pgmap), GFP_KERNEL);
	if (!pgmap)
		return -ENOMEM;
	res = request_free_mem_region(&iomem_resource, size, "gpu_register");
	if (IS_ERR(res)) {
		pr_err("no free physical range of %lu MiB: %ld\n", size_mib, PTR_ERR(res));
		ret = PTR_ERR(res);
		goto out_free;
	}
	pgmap->type = MEMORY_DEVICE_PRIVATE;
	pgmap->range.start = res->start;
	pgmap->range.end = res->end;
	pgmap->nr_range = 1;
	pgmap->ops = &gpu_ops;
	pgmap->owner = pgmap;

	t0 = ktime_get_ns();
	addr = memremap_pages(pgmap, numa_node_id());
	t1 = ktime_get_ns();
	if (IS_ERR(addr)) {
		pr_err("memremap_pages of %lu MiB: %ld\n", size_mib, PTR_ERR(addr));
		ret = PTR_ERR(addr);
		goto out_release;
	}
	memunmap_pages(pgmap);
	t2 = ktime_get_ns();
	pr_info("size_mib=%lu loop=%u register_ns=%llu unregister_ns=%llu\n",
		size_mib, loop, t1 - t0, t2 - t1);
out_release:
	release_mem_region(res->start, resource_size(res));
out_free:
	kfree(pgmap);
	return ret;
}

static int __init gpu_register_init(void)
{
	unsigned int i;
	int ret;

	if (!size_mib || size_mib % 128)
		return -EINVAL;
	for (i = 0; i < loops; i++) {
		ret = gpu_register_once(i);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;	/* nothing stays registered; rmmod has nothing to undo */
}
module_init(gpu_register_init);

static void __exit gpu_register_exit(void)
{
}
module_exit(gpu_register_exit);

MODULE_DESCRIPTION("Time device-private memory registration as a GPU driver does it");
MODULE_LICENSE("GPL");
