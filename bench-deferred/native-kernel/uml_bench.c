// SPDX-License-Identifier: GPL-2.0
/*
 * memmap_bench_uml: init + free of normal memory, natively, with the real
 * buddy allocator: the tree's own functions (__init_single_page(),
 * memmap_init_range(), the memmap template, __free_pages_core(),
 * __free_pages_memmap_tmpl(), init_pageblock_migratetype()) run in a UML
 * kernel (ARCH=um: the kernel is a host process, its code runs natively).
 *
 * Harness code, not part of the series: bench-deferred/native-kernel/uml.sh
 * adds it as mm/memmap_bench_uml.c to a worktree of build/linux and runs it
 * at boot (late_initcall: __init code still there), then powers off.
 *
 * It takes MAX_PAGE_ORDER blocks out of the buddy allocator, and for each
 * size and round runs every method once, interleaved: re-initialise the
 * blocks' struct pages and free them again as a path of the kernel does,
 * then takes them back (not timed). Output: MMT-SAMPLE lines.
 *
 * UML has no DEFERRED_STRUCT_PAGE_INIT (it is FLATMEM): the deferred
 * methods call the functions deferred_init_pages(), deferred_free_pages()
 * and deferred_init_free_tmpl() call, in their order, per block and per
 * 128 MiB chunk (an x86-64 section), as written below. Nor has it memory
 * hotplug: the online methods call what online_pages() calls with a
 * template (memmap_init_range_free(), then __free_pages_memmap_tmpl()), in
 * the early context (PG_reserved where onlining has PG_offline).
 */
#define pr_fmt(fmt) "memmap_bench: " fmt

#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/page-isolation.h>
#include <linux/reboot.h>
#include <linux/sort.h>
#include <linux/vmalloc.h>

#include "internal.h"

static char *sizes = "1,16,256,1024";
module_param(sizes, charp, 0444);
static int rounds = 10;
module_param(rounds, int, 0444);
static char *methods = "";
module_param(methods, charp, 0444);
/* which boot of a series this is: the samples' "run", the independent unit */
static int run;
module_param(run, int, 0444);

#define CHUNK_PAGES	(1UL << 15)	/* a section of x86-64: 128 MiB */

static unsigned long *pfns;
/*
 * The limits write into blocks of their own, taken once, touched once (UML
 * memory faults in the host on first touch) and kept to the end: the
 * blocks being timed change from round to round at small sizes.
 */
static unsigned long *limit_pfns;

static int cmp_ul(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Take @n MAX_PAGE_ORDER blocks out of the buddy allocator, sorted by pfn. */
static unsigned long __init take_blocks(unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY,
						MAX_PAGE_ORDER);

		if (!page)
			break;
		pfns[i] = page_to_pfn(page);
	}
	sort(pfns, i, sizeof(*pfns), cmp_ul, NULL);
	return i;
}

static struct zone *__init blocks_zone(void)
{
	return page_zone(pfn_to_page(pfns[0]));
}

/* Free blocks add their pages to managed_pages, as at boot: undo it first. */
static void __init unmanage(unsigned long n)
{
	atomic_long_sub(n * MAX_ORDER_NR_PAGES, &blocks_zone()->managed_pages);
}

static void __init pageblocks(struct page *page)
{
	unsigned long i;

	for (i = 0; i < MAX_ORDER_NR_PAGES; i += pageblock_nr_pages)
		init_pageblock_migratetype(page + i, MIGRATE_MOVABLE, false);
}

enum method {
	M_OFF,		/* fused, page by page: deferred init in mode off */
	M_COPY,		/* fused, template + ordinary stores, old free */
	M_COPY_NT,	/* fused, template + NT stores, old free */
	M_SPLIT,	/* split, born-free template, ordinary stores, new free */
	M_SPLIT_NT,	/* split, born-free template, NT stores (the series) */
	M_SPLIT_AUTO,	/* the series' default */
	M_EARLY_OFF,	/* memmap_init_range(EARLY) then free: boot, mode off */
	M_EARLY_CACHED,
	M_EARLY_NT,
	M_EARLY_AUTO,
	M_ZEROED_OFF,	/* the same on a memmap zeroed just before: the shape */
	M_ZEROED_CACHED, /* of onlining hotplugged memory with init_on_alloc */
	M_ZEROED_NT,
	M_ONLINE_OFF,	/* onlining: init the range, then free it; off: as */
	M_ONLINE_CACHED, /* early:off; the template ones born free, freed */
	M_ONLINE_NT,	/* with __free_pages_memmap_tmpl() (the series) */
	M_ONLINE_AUTO,
	M_ONLINE_Z_OFF,	/* the same on a memmap zeroed just before */
	M_ONLINE_Z_CACHED,
	M_ONLINE_Z_NT,
	M_LIMIT_MOVNTI,	/* the same bytes: MOVNTI stream */
	M_LIMIT_STORES,	/* ordinary 8-byte stores */
	M_LIMIT_STOSB,	/* rep stosb of zeros (no template can do this) */
	NR_METHODS,
};

/* "path:mode", as results.json names them; limits: "limit:SEQUENCE" */
static const char *const method_names[NR_METHODS] = {
	[M_OFF] = "deferred:off", [M_COPY] = "deferred:copy",
	[M_COPY_NT] = "deferred:copy-nt", [M_SPLIT] = "deferred:cached",
	[M_SPLIT_NT] = "deferred:nt", [M_SPLIT_AUTO] = "deferred:auto",
	[M_EARLY_OFF] = "early:off", [M_EARLY_CACHED] = "early:cached",
	[M_EARLY_NT] = "early:nt", [M_EARLY_AUTO] = "early:auto",
	[M_ZEROED_OFF] = "early-zeroed:off",
	[M_ZEROED_CACHED] = "early-zeroed:cached",
	[M_ZEROED_NT] = "early-zeroed:nt",
	[M_ONLINE_OFF] = "online:off", [M_ONLINE_CACHED] = "online:cached",
	[M_ONLINE_NT] = "online:nt", [M_ONLINE_AUTO] = "online:auto",
	[M_ONLINE_Z_OFF] = "online-zeroed:off",
	[M_ONLINE_Z_CACHED] = "online-zeroed:cached",
	[M_ONLINE_Z_NT] = "online-zeroed:nt",
	[M_LIMIT_MOVNTI] = "limit:movnti", [M_LIMIT_STORES] = "limit:stores",
	[M_LIMIT_STOSB] = "limit:rep-stosb-zero",
};

static void __init set_mode(const char *mode)
{
	WARN_ON(memmap_tmpl_set_mode(mode));
}

/* deferred init, fused (the old loop): init a block, free it at once */
static void __init run_fused(unsigned long n, const char *mode)
{
	struct zone *zone = blocks_zone();
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	struct memmap_tmpl t;
	unsigned long b, i;
	bool tmpl;

	set_mode(mode);
	tmpl = memmap_tmpl_prepare(&t, MEMMAP_TMPL_EARLY, pfns[0],
				   n * MAX_ORDER_NR_PAGES, zid, nid, NULL, 0);
	for (b = 0; b < n; b++) {
		unsigned long pfn = pfns[b];
		struct page *page = pfn_to_page(pfn);

		if (tmpl) {
			memmap_tmpl_fill(&t, page, pfn, MAX_ORDER_NR_PAGES);
			memmap_tmpl_drain(&t);
		} else {
			for (i = 0; i < MAX_ORDER_NR_PAGES; i++)
				__init_single_page(page + i, pfn + i, zid, nid);
		}
		pageblocks(page);
		__free_pages_core(page, MAX_PAGE_ORDER, MEMINIT_EARLY);
	}
}

/* the born-free template of the first @n blocks in @mode; false: none */
static bool __init born_free_tmpl(struct memmap_tmpl *t, unsigned long n,
				  const char *mode)
{
	struct zone *zone = blocks_zone();

	set_mode(mode);
	return memmap_tmpl_prepare(t, MEMMAP_TMPL_DEFERRED, pfns[0],
				   n * MAX_ORDER_NR_PAGES, zone_idx(zone),
				   zone_to_nid(zone), NULL, 0);
}

/* deferred init, split (the series): init a chunk, drain, then free it */
static void __init run_split(unsigned long n, const char *mode)
{
	struct memmap_tmpl t;
	unsigned long b, e, i;

	if (!born_free_tmpl(&t, n, mode)) {
		pr_err("split: no template in mode %s\n", mode);
		return;
	}
	for (b = 0; b < n; b = e) {
		/* a run of contiguous blocks within one chunk */
		for (e = b + 1; e < n && pfns[e] == pfns[e - 1] + MAX_ORDER_NR_PAGES &&
		     pfns[e] % CHUNK_PAGES; e++)
			;
		memmap_tmpl_fill(&t, pfn_to_page(pfns[b]), pfns[b],
				 (e - b) * MAX_ORDER_NR_PAGES);
		memmap_tmpl_drain(&t);
		for (i = b; i < e; i++) {
			struct page *page = pfn_to_page(pfns[i]);

			pageblocks(page);
			__free_pages_memmap_tmpl(page, MAX_PAGE_ORDER,
						 MEMINIT_EARLY);
		}
	}
}

/* boot: memmap_init_range(MEMINIT_EARLY) over everything, then free it all */
static void __init run_early(unsigned long n, const char *mode)
{
	struct zone *zone = blocks_zone();
	int nid = zone_to_nid(zone), zid = zone_idx(zone);
	unsigned long b, e;

	set_mode(mode);
	for (b = 0; b < n; b = e) {
		for (e = b + 1; e < n && pfns[e] == pfns[e - 1] + MAX_ORDER_NR_PAGES; e++)
			;
		memmap_init_range((e - b) * MAX_ORDER_NR_PAGES, nid, zid, pfns[b],
				  zone_end_pfn(zone), MEMINIT_EARLY, NULL,
				  MIGRATE_MOVABLE, false);
	}
	for (b = 0; b < n; b++)
		__free_pages_core(pfn_to_page(pfns[b]), MAX_PAGE_ORDER, MEMINIT_EARLY);
}

/*
 * onlining hotplugged memory with a template (the series): the whole range
 * initialised born free, as memmap_init_range_free() does (copies, drained,
 * then the pageblocks), then every block freed by
 * __free_pages_memmap_tmpl(); in mode off, as before: run_early()
 */
static void __init run_online(unsigned long n, const char *mode)
{
	struct memmap_tmpl t;
	unsigned long b, e, i;

	if (!born_free_tmpl(&t, n, mode)) {
		run_early(n, mode);
		return;
	}
	for (b = 0; b < n; b = e) {
		for (e = b + 1; e < n && pfns[e] == pfns[e - 1] + MAX_ORDER_NR_PAGES; e++)
			;
		memmap_tmpl_fill(&t, pfn_to_page(pfns[b]), pfns[b],
				 (e - b) * MAX_ORDER_NR_PAGES);
		memmap_tmpl_drain(&t);
		for (i = b; i < e; i++)
			pageblocks(pfn_to_page(pfns[i]));
	}
	for (b = 0; b < n; b++)
		__free_pages_memmap_tmpl(pfn_to_page(pfns[b]), MAX_PAGE_ORDER,
					 MEMINIT_EARLY);
}

/* The limits write the same bytes into pages of their own (not memmap). */
static void __init run_limit(unsigned long n, int m)
{
	const unsigned long per = (MAX_ORDER_NR_PAGES << PAGE_SHIFT);
	unsigned long bytes = n * MAX_ORDER_NR_PAGES * sizeof(struct page), b;
	static const u64 w[8] = { 0x200, 0xdead4ead00000001ULL, 0x12345678, 0, 0,
				  0xffffffff00000000ULL, 0, 1 };

	for (b = 0; bytes; b++) {
		unsigned long c = min(bytes, per), i;
		u64 *d = page_address(pfn_to_page(limit_pfns[b]));

		bytes -= c;
		if (m == M_LIMIT_STOSB) {
			void *p = d;

			asm volatile("rep stosb" : "+D"(p), "+c"(c) : "a"(0) : "memory");
			continue;
		}
		for (i = 0; i < c / 64; i++, d += 8) {
			if (m == M_LIMIT_MOVNTI)
				asm volatile("movnti %1, 0(%0)\n\tmovnti %2, 8(%0)\n\t"
					     "movnti %3, 16(%0)\n\tmovnti %4, 24(%0)\n\t"
					     "movnti %5, 32(%0)\n\tmovnti %6, 40(%0)\n\t"
					     "movnti %7, 48(%0)\n\tmovnti %8, 56(%0)"
					     :: "r"(d), "r"(w[0]), "r"(w[1]), "r"(w[2]),
						"r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]),
						"r"(w[7]) : "memory");
			else
				asm volatile("movq %1, 0(%0)\n\tmovq %2, 8(%0)\n\t"
					     "movq %3, 16(%0)\n\tmovq %4, 24(%0)\n\t"
					     "movq %5, 32(%0)\n\tmovq %6, 40(%0)\n\t"
					     "movq %7, 48(%0)\n\tmovq %8, 56(%0)"
					     :: "r"(d), "r"(w[0]), "r"(w[1]), "r"(w[2]),
						"r"(w[3]), "r"(w[4]), "r"(w[5]), "r"(w[6]),
						"r"(w[7]) : "memory");
		}
	}
	asm volatile("sfence" ::: "memory");
}

static bool __init is_limit(int m)
{
	return m >= M_LIMIT_MOVNTI;
}

static bool __init is_zeroed(int m)
{
	return (m >= M_ZEROED_OFF && m <= M_ZEROED_NT) ||
	       (m >= M_ONLINE_Z_OFF && m <= M_ONLINE_Z_NT);
}

/*
 * Before a timed run, not timed: the blocks' struct pages flushed from the
 * caches, as a boot memmap is (memblock does not write it), or zeroed, as
 * the page allocator leaves a hotplugged block's vmemmap with init_on_alloc.
 */
static void __init prepare_memmap(unsigned long n, bool zeroed)
{
	unsigned long b, i;

	for (b = 0; b < n; b++) {
		char *p = (char *)pfn_to_page(pfns[b]);

		if (zeroed) {
			memset(p, 0, MAX_ORDER_NR_PAGES * sizeof(struct page));
			continue;
		}
		for (i = 0; i < MAX_ORDER_NR_PAGES * sizeof(struct page); i += 64)
			asm volatile("clflushopt %0" : "+m"(*(volatile char *)(p + i)));
	}
	asm volatile("sfence" ::: "memory");
}

/* Run method @m once over the first @n blocks; return ns. */
static u64 __init run_once(int m, unsigned long n)
{
	u64 t0;

	if (!is_limit(m)) {
		prepare_memmap(n, is_zeroed(m));
		unmanage(n);
	}
	t0 = ktime_get_ns();
	switch (m) {
	case M_OFF:		run_fused(n, "off"); break;
	case M_COPY:		run_fused(n, "cached"); break;
	case M_COPY_NT:		run_fused(n, "nt"); break;
	case M_SPLIT:		run_split(n, "cached"); break;
	case M_SPLIT_NT:	run_split(n, "nt"); break;
	case M_SPLIT_AUTO:	run_split(n, "auto"); break;
	case M_EARLY_OFF:
	case M_ZEROED_OFF:	run_early(n, "off"); break;
	case M_EARLY_CACHED:
	case M_ZEROED_CACHED:	run_early(n, "cached"); break;
	case M_EARLY_NT:
	case M_ZEROED_NT:	run_early(n, "nt"); break;
	case M_EARLY_AUTO:	run_early(n, "auto"); break;
	case M_ONLINE_OFF:
	case M_ONLINE_Z_OFF:	run_online(n, "off"); break;
	case M_ONLINE_CACHED:
	case M_ONLINE_Z_CACHED:	run_online(n, "cached"); break;
	case M_ONLINE_NT:
	case M_ONLINE_Z_NT:	run_online(n, "nt"); break;
	case M_ONLINE_AUTO:	run_online(n, "auto"); break;
	default:		run_limit(n, m); break;
	}
	t0 = ktime_get_ns() - t0;
	/* take the blocks back, not timed (the limits never gave them away) */
	if (!is_limit(m) && take_blocks(n) != n)
		pr_err("could not take back %lu blocks\n", n);
	return t0;
}

/* One sample, as a MMT-SAMPLE line (scripts/results.py): @ns for @done pages */
static void __init report(const char *method, unsigned long mib,
			  unsigned long pages, unsigned long done, u64 ns)
{
	const char *mode = strchr(method, ':') + 1;
	int plen = mode - method - 1;
	bool limit = !strncmp(method, "limit", plen);

	/* page checks (check_pages=1, init_on_alloc=1, ...): every free reads the pages */
	printk(KERN_INFO "MMT-SAMPLE {\"workload\": \"native-initfree\", \"where\": \"native-kernel\", \"params\": {\"path\": \"%.*s\", \"size_mib\": %lu, \"pages\": %lu, \"arch\": \"um\", \"page_checks\": %d%s%s%s}, \"mode\": \"%s\", \"metric\": \"ns_per_page\", \"unit\": \"ns\", \"run\": %d, \"value\": %llu.%03llu}\n",
		plen, method, mib, pages,
		static_branch_unlikely(&check_pages_enabled) ? 1 : 0,
		limit ? ", \"sequence\": \"" : "",
		limit ? mode : "", limit ? "\"" : "", limit ? "limit" : mode, run,
		ns / done, (ns % done) * 1000 / done);
}

static bool __init method_wanted(int m)
{
	const char *p = methods;
	size_t len = strlen(method_names[m]);

	if (!*p)
		return true;
	while (p) {
		if (!strncmp(p, method_names[m], len) && (p[len] == ',' || !p[len]))
			return true;
		p = strchr(p, ',');
		if (p)
			p++;
	}
	return false;
}

static int __init memmap_bench_uml(void)
{
	unsigned long max_mib = 0, mib, n, nl = 0, have = 0;
	char *s, *list, *tok;
	int r, k, m;

	list = kstrdup(sizes, GFP_KERNEL);
	for (s = list; (tok = strsep(&s, ","));)
		if (!kstrtoul(tok, 10, &mib))
			max_mib = max(max_mib, mib);
	kfree(list);
	/* a block's struct pages: MAX_ORDER_NR_PAGES * 64 bytes (64 KiB) */
	n = DIV_ROUND_UP(max_mib << 20, MAX_ORDER_NR_PAGES * sizeof(struct page));
	pfns = vmalloc(array_size(n, sizeof(*pfns)));
	if (!pfns || !n) {
		pr_err("bad sizes=%s\n", sizes);
		goto out;
	}
	/* the limits' destination: as many bytes as the largest size, in 4 MiB blocks */
	nl = DIV_ROUND_UP(n * MAX_ORDER_NR_PAGES * sizeof(struct page),
			  MAX_ORDER_NR_PAGES << PAGE_SHIFT);
	limit_pfns = vmalloc(array_size(nl, sizeof(*limit_pfns)));
	if (!limit_pfns || take_blocks(nl) != nl) {
		pr_err("no %lu blocks for the limits' destination\n", nl);
		goto out;
	}
	memcpy(limit_pfns, pfns, nl * sizeof(*pfns));
	have = take_blocks(n);
	pr_info("MMT-NATIVE sizeof(struct page)=%zu blocks=%lu of %lu wanted, %lu MiB of struct pages, mode at boot %s\n",
		sizeof(struct page), have, n,
		have * MAX_ORDER_NR_PAGES * sizeof(struct page) >> 20,
		memmap_tmpl_mode_name(memmap_tmpl_get_mode()));
	if (have < n) {
		pr_err("only %lu of %lu blocks: give UML more memory (mem=)\n", have, n);
		goto out;
	}
	/* touch the limits' destination once: UML memory faults in the host */
	run_once(M_LIMIT_STORES, n);

	list = kstrdup(sizes, GFP_KERNEL);
	for (s = list; (tok = strsep(&s, ","));) {
		unsigned long nb, pages, reps, rep;

		if (kstrtoul(tok, 10, &mib) || !mib)
			continue;
		nb = DIV_ROUND_UP(mib << 20, MAX_ORDER_NR_PAGES * sizeof(struct page));
		pages = nb * MAX_ORDER_NR_PAGES;
		reps = DIV_ROUND_UP(64, mib);
		for (r = 0; r < rounds; r++) {
			/* interleaved, each round starting one method later */
			for (k = 0; k < NR_METHODS; k++) {
				u64 ns;

				m = (k + r) % NR_METHODS;
				if (!method_wanted(m))
					continue;
				/* small sizes: passes enough for 64 MiB a sample */
				for (ns = 0, rep = 0; rep < reps; rep++)
					ns += run_once(m, nb);
				report(method_names[m], mib, pages, pages * reps, ns);
			}
			cond_resched();
		}
	}
	kfree(list);
out:
	/* give everything back, in a sane state, and stop */
	if (pfns) {
		unsigned long b;

		for (b = 0; b < have; b++)
			__free_pages(pfn_to_page(pfns[b]), MAX_PAGE_ORDER);
		for (b = 0; limit_pfns && b < nl; b++)
			__free_pages(pfn_to_page(limit_pfns[b]), MAX_PAGE_ORDER);
	}
	pr_info("MMT-NATIVE-DONE\n");
	kernel_power_off();
	return 0;
}
late_initcall(memmap_bench_uml);
