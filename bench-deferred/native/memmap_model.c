// SPDX-License-Identifier: GPL-2.0
/*
 * memmap_model: a userspace model of ZONE_DEVICE memmap init on real memory,
 * to see what QEMU TCG cannot: caches and non-temporal stores.
 *
 * Four ways to write N 64-byte "struct pages" (x86-64):
 *   slow    the store sequence of __init_zone_device_page(): zero the page,
 *           then flags (zone, node, reserved), refcount, mapcount, lru/pgmap
 *           words, page by page (read-modify-write of flags included)
 *   cached  memmap template: one prepared page copied with memcpy()
 *   nt      memmap template: 8 MOVNTI per page from registers + SFENCE, the
 *           instruction sequence of the series' memmap_tmpl_fill() with the
 *           x86 memcpy_nt() (the template's words are loaded once)
 *   limit   a plain streaming store of the same bytes: 8 MOVNTI of a
 *           register per page + SFENCE (no loads at all)
 *
 * With -k deferred, deferred struct page init of normal memory: init then
 * free to a buddy free list, in MAX_ORDER blocks of 1024 pages:
 *   fused-slow    the old loop: per block, __init_single_page() page by page
 *                 (refcount 1, lru pointing at itself), then the free pass
 *                 over every page (__free_pages_core(): clear PG_reserved,
 *                 refcount 0; __free_pages_prepare(): clear the flags checked
 *                 at allocation) and the buddy's writes to the head
 *   fused-cached  the same with the init done by template copies (memcpy)
 *   split-cached  the series: CHUNK pages (-c, default a section: 32768)
 *                 initialised from a born-free template (refcount 0, lru
 *                 refreshed per page), then freed touching only the heads
 *   split-nt      the same with 8 MOVNTI per page and one SFENCE per chunk
 *   limit         as above: 8 MOVNTI of a register per page, no loads
 *
 *   memmap_model [-k device|deferred] [-c CHUNK] [-s SAMPLES] SIZE_MIB...
 *   prints one JSON line per (size, method) with the samples in ns per page.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

struct page { uint64_t w[8]; } __attribute__((aligned(64)));

#define PG_reserved	(1ULL << 10)
#define ZONE_SHIFT	62
#define NODE_SHIFT	52

static inline void movnti(uint64_t *dst, uint64_t v)
{
	asm volatile("movntiq %1, %0" : "=m" (*dst) : "r" (v));
}

static inline void sfence(void)
{
	asm volatile("sfence" ::: "memory");
}

/* __init_single_page() + __init_zone_device_page(), as stores. */
static void __attribute__((noinline)) init_slow(struct page *p, unsigned long n,
						 void *pgmap)
{
	for (unsigned long i = 0; i < n; i++) {
		volatile uint64_t *w = p[i].w;

		for (int k = 0; k < 8; k++)		/* mm_zero_struct_page */
			w[k] = 0;
		w[0] |= 4ULL << ZONE_SHIFT;		/* set_page_links */
		w[0] |= 1ULL << NODE_SHIFT;
		w[6] = 1;				/* init_page_count */
		((volatile uint32_t *)&w[6])[1] = -1;	/* _mapcount = -1 */
		w[1] = (uint64_t)&w[1];			/* INIT_LIST_HEAD(lru) */
		w[2] = (uint64_t)&w[1];
		w[0] |= PG_reserved;			/* __SetPageReserved */
		w[1] = (uint64_t)pgmap;			/* ->pgmap */
		w[2] = 0;				/* ->zone_device_data */
		w[6] &= ~0xffffffffULL;			/* set_page_count(0) */
	}
}

static void __attribute__((noinline)) init_cached(struct page *p, unsigned long n,
						   const struct page *t)
{
	for (unsigned long i = 0; i < n; i++)
		memcpy(&p[i], t, sizeof(*t));
	asm volatile("" ::: "memory");
}

/* as the kernel's fill: the template's words loaded once, kept in registers */
static void __attribute__((noinline)) init_nt(struct page *p, unsigned long n,
					       const struct page *t)
{
	const struct page src = *t;

	for (unsigned long i = 0; i < n; i++) {
#pragma GCC unroll 8
		for (int k = 0; k < 8; k++)
			movnti(&p[i].w[k], src.w[k]);
	}
	sfence();
}

/* the streaming limit: 8 MOVNTI per page of words already in registers */
static void __attribute__((noinline)) init_limit(struct page *p, unsigned long n)
{
	struct page src;

	for (int k = 0; k < 8; k++)
		src.w[k] = 0x0101010101010101ULL * k;
	asm volatile("" : : "r" (&src) : "memory");
	src = *(volatile struct page *)&src;
	for (unsigned long i = 0; i < n; i++) {
#pragma GCC unroll 8
		for (int k = 0; k < 8; k++)
			movnti(&p[i].w[k], src.w[k]);
	}
	sfence();
}

/* deferred init of normal memory, as stores: see the top comment */
#define MAX_ORDER_PAGES	1024
#define FLAGS_CHECK_AT_PREP	0xfffffULL

struct list { struct list *next, *prev; };
static struct list free_list = { &free_list, &free_list };
static volatile int zone_lock;

static inline void init_single(volatile uint64_t *w)
{
	for (int k = 0; k < 8; k++)			/* mm_zero_struct_page */
		w[k] = 0;
	w[0] |= 2ULL << ZONE_SHIFT;			/* set_page_links */
	w[0] |= 1ULL << NODE_SHIFT;
	w[6] = 1;					/* init_page_count */
	((volatile uint32_t *)&w[6])[1] = -1;		/* _mapcount = -1 */
	w[1] = (uint64_t)&w[1];				/* INIT_LIST_HEAD(lru) */
	w[2] = (uint64_t)&w[1];
}

/* the buddy allocator's writes for a free MAX_ORDER block: the head only */
static inline void buddy_add(struct page *head)
{
	struct list *l = (struct list *)&head->w[1];

	while (__atomic_exchange_n(&zone_lock, 1, __ATOMIC_ACQUIRE))
		;
	head->w[3] = 10;				/* set_buddy_order */
	((volatile uint32_t *)&head->w[6])[1] = 0xf0000080; /* PageBuddy */
	l->next = &free_list;				/* list_add_tail */
	l->prev = free_list.prev;
	free_list.prev->next = l;
	free_list.prev = l;
	__atomic_store_n(&zone_lock, 0, __ATOMIC_RELEASE);
}

static void __attribute__((noinline)) deferred_fused(struct page *p, unsigned long n,
						      const struct page *t)
{
	free_list.next = free_list.prev = &free_list;
	for (unsigned long b = 0; b < n; b += MAX_ORDER_PAGES) {
		struct page *blk = p + b;

		for (int i = 0; i < MAX_ORDER_PAGES; i++) {
			if (t) {
				memcpy(&blk[i], t, sizeof(*t));
				blk[i].w[1] = blk[i].w[2] = (uint64_t)&blk[i].w[1];
			} else {
				init_single(blk[i].w);
			}
		}
		for (int i = 0; i < MAX_ORDER_PAGES; i++) {	/* __free_pages_core */
			volatile uint64_t *w = blk[i].w;

			w[0] &= ~PG_reserved;
			((volatile uint32_t *)&w[6])[0] = 0;
		}
		for (int i = 1; i < MAX_ORDER_PAGES; i++)	/* __free_pages_prepare */
			((volatile uint64_t *)blk[i].w)[0] &= ~FLAGS_CHECK_AT_PREP;
		buddy_add(blk);
	}
	asm volatile("" ::: "memory");
}

static void __attribute__((noinline)) deferred_split(struct page *p, unsigned long n,
						      const struct page *t,
						      unsigned long chunk, int nt)
{
	struct page tp = *t;

	free_list.next = free_list.prev = &free_list;
	for (unsigned long c = 0; c < n; c += chunk) {
		unsigned long end = c + chunk < n ? c + chunk : n;

		if (nt) {
			/* as the kernel's fill: template words in registers */
			struct page src = tp;

			for (unsigned long i = c; i < end; i++) {
				src.w[1] = src.w[2] = (uint64_t)&p[i].w[1];	/* lru */
#pragma GCC unroll 8
				for (int k = 0; k < 8; k++)
					movnti(&p[i].w[k], src.w[k]);
			}
		} else {
			for (unsigned long i = c; i < end; i++) {
				tp.w[1] = tp.w[2] = (uint64_t)&p[i].w[1];	/* lru */
				memcpy(&p[i], &tp, sizeof(tp));
				asm volatile("" ::: "memory");
			}
		}
		if (nt)
			sfence();
		for (unsigned long b = c; b < end; b += MAX_ORDER_PAGES)
			buddy_add(p + b);
	}
	asm volatile("" ::: "memory");
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static const char * const dev_names[] = { "slow", "cached", "nt", "limit" };
	static const char * const def_names[] = {
		"fused-slow", "fused-cached", "split-cached", "split-nt", "limit",
	};
	const char * const *names = dev_names;
	unsigned long chunk = 32768;
	int samples = 7, a = 1, deferred = 0, nmethods = 4;
	struct page tmpl, normal, born_free;

	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "-s"))
			samples = atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "-c"))
			chunk = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "-k") && !strcmp(argv[a + 1], "deferred"))
			deferred = 1;
		else if (strcmp(argv[a], "-k") || strcmp(argv[a + 1], "device"))
			break;
	}
	if (a >= argc || !chunk || chunk % MAX_ORDER_PAGES) {
		fprintf(stderr, "usage: memmap_model [-k device|deferred] [-c CHUNK (pages, a multiple of %d)] [-s SAMPLES] SIZE_MIB...\n",
			MAX_ORDER_PAGES);
		return 2;
	}
	if (deferred) {
		names = def_names;
		nmethods = 5;
	}
	init_single(normal.w);				/* the early template */
	born_free = normal;
	born_free.w[6] &= ~0xffffffffULL;		/* born free: refcount 0 */
	for (; a < argc; a++) {
		size_t bytes = strtoull(argv[a], NULL, 0) << 20;
		unsigned long n = bytes / sizeof(struct page);
		struct page *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
		init_slow(&tmpl, 1, p);		/* the template: the slow path, once */
		if (deferred && n % MAX_ORDER_PAGES) {
			fprintf(stderr, "%s MiB is not a whole number of MAX_ORDER blocks\n", argv[a]);
			return 2;
		}
		for (int m = 0; m < nmethods; m++) {
			/* enough rounds for >= 50 ms per sample on small sizes */
			unsigned long rounds = 1 + (50UL << 20) / bytes;

			printf("{\"kind\":\"%s\",\"size_mib\":%s,\"method\":\"%s\",\"pages\":%lu,",
			       deferred ? "deferred" : "device", argv[a], names[m], n);
			if (deferred)	/* the split's chunk; the run's, for the others */
				printf("\"chunk_pages\":%lu,", chunk);
			printf("\"ns_per_page\":[");
			/* sample -1 is a warm-up round, not reported */
			for (int s = -1; s < samples; s++) {
				double t0 = now_ns();

				for (unsigned long r = 0; r < rounds; r++) {
					if (deferred) {
						switch (m) {
						case 0: deferred_fused(p, n, NULL); break;
						case 1: deferred_fused(p, n, &normal); break;
						case 2: deferred_split(p, n, &born_free, chunk, 0); break;
						case 3: deferred_split(p, n, &born_free, chunk, 1); break;
						case 4: init_limit(p, n); break;
						}
						continue;
					}
					switch (m) {
					case 0: init_slow(p, n, p); break;
					case 1: init_cached(p, n, &tmpl); break;
					case 2: init_nt(p, n, &tmpl); break;
					case 3: init_limit(p, n); break;
					}
				}
				if (s >= 0)
					printf("%s%.4f", s ? "," : "", (now_ns() - t0) / rounds / n);
			}
			printf("]}\n");
			fflush(stdout);
		}
		if (deferred) {
			/* split and fused leave the same non-head pages */
			struct page want[2];

			for (int m = 0; m < 2; m++) {
				if (m)
					deferred_split(p, n, &born_free, chunk, 1);
				else
					deferred_fused(p, n, NULL);
				want[m] = p[1];
			}
			born_free.w[1] = born_free.w[2] = (uint64_t)&p[1].w[1];
			if (memcmp(&want[0], &want[1], sizeof(want[0])) ||
			    memcmp(&want[1], &born_free, sizeof(born_free))) {
				fprintf(stderr, "split and fused deferred init differ\n");
				return 1;
			}
			munmap(p, bytes);
			continue;
		}
		/* the copies must equal the slow path's result */
		init_slow(p, 2, p);
		if (memcmp(&p[1], &tmpl, sizeof(tmpl))) {
			fprintf(stderr, "template differs from the slow path\n");
			return 1;
		}
		munmap(p, bytes);
	}
	return 0;
}
