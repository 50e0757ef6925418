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
 *   nt      memmap template: copied with 8 MOVNTI per page + SFENCE, the
 *           instruction sequence of the series' x86 memcpy_nt()
 *   limit   a plain streaming store of the same bytes: 8 MOVNTI of a
 *           register per page + SFENCE (no loads at all)
 *
 *   memmap_model [-s SAMPLES] SIZE_MIB...   prints one JSON line per
 *   (size, method) with the samples in ns per page.
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

static void __attribute__((noinline)) init_nt(struct page *p, unsigned long n,
					       const struct page *t)
{
	for (unsigned long i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			movnti(&p[i].w[k], t->w[k]);
	sfence();
}

static void __attribute__((noinline)) init_limit(struct page *p, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		for (int k = 0; k < 8; k++)
			movnti(&p[i].w[k], k);
	sfence();
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	static const char * const names[] = { "slow", "cached", "nt", "limit" };
	int samples = 7, a = 1;
	struct page tmpl;

	if (a + 1 < argc && !strcmp(argv[a], "-s")) {
		samples = atoi(argv[a + 1]);
		a += 2;
	}
	if (a >= argc) {
		fprintf(stderr, "usage: memmap_model [-s SAMPLES] SIZE_MIB...\n");
		return 2;
	}
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
		for (int m = 0; m < 4; m++) {
			/* enough rounds for >= 50 ms per sample on small sizes */
			unsigned long rounds = 1 + (50UL << 20) / bytes;

			printf("{\"size_mib\":%s,\"method\":\"%s\",\"pages\":%lu,\"ns_per_page\":[",
			       argv[a], names[m], n);
			for (int s = 0; s < samples; s++) {
				double t0 = now_ns();

				for (unsigned long r = 0; r < rounds; r++) {
					switch (m) {
					case 0: init_slow(p, n, p); break;
					case 1: init_cached(p, n, &tmpl); break;
					case 2: init_nt(p, n, &tmpl); break;
					case 3: init_limit(p, n); break;
					}
				}
				printf("%s%.4f", s ? "," : "", (now_ns() - t0) / rounds / n);
			}
			printf("]}\n");
			fflush(stdout);
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
