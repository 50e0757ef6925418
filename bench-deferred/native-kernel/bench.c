// SPDX-License-Identifier: GPL-2.0
/*
 * kfill-bench: time the kernel's own memmap init code (kfill.c) natively, on
 * this machine's memory, next to the fastest store sequences this CPU has
 * for the same bytes (the ceilings), methods interleaved in every round.
 *
 *   kfill-bench [-r ROUNDS] [-t THREADS] [-p PATHS] [-m MODES] [-s STATE] [-C] SIZE_MIB...
 *
 * SIZE_MIB is the size of the struct pages written (64 bytes a page). Each
 * sample writes at least MIN_SAMPLE_MIB, in passes over the range; before
 * each pass, not timed, the range is put in the cache state -s names, the
 * state the kernel path finds its memmap in:
 *   cold    flushed from the caches (clflushopt): a memmap allocated without
 *           zeroing (boot, deferred init, pmem's altmap; device memory and
 *           hotplug without init_on_alloc, which is then off for auto);
 *   zeroed  written with zeros a page at a time as clear_page() does (rep
 *           stosb of 4 KiB): a memmap the page allocator just zeroed
 *           (init_on_alloc, on for auto) for device memory;
 *   hot     nothing: the previous pass's writes (an upper bound for small
 *           sizes, as the range stays in the caches).
 * One JSON line per method and size: samples in ns per struct page. -C
 * checks first that every template mode writes the same struct pages as
 * mode off (byte for byte, every page).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <immintrin.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kfill.h"

#define MIB		(1UL << 20)
#define MIN_SAMPLE_MIB	256
#define START_PFN	(1UL << 22)	/* 16 GiB: section aligned */
#define MAX_THREADS	64

static const char *const path_names[KB_NR_PATHS] = {
	[KB_DEVICE] = "device", [KB_DEVICE_COMPOUND] = "device-compound",
	[KB_EARLY] = "early", [KB_HOTPLUG] = "hotplug",
	[KB_DEFERRED_INIT] = "deferred-init",
};

void *kb_host_alloc(size_t size)
{
	void *p = calloc(1, size);

	if (!p) {
		perror("calloc");
		exit(1);
	}
	return p;
}

/* Called by the generated stubs: kernel code reached something unset up. */
void kb_stub_called(const char *name)
{
	fprintf(stderr, "kfill-bench: kernel code called %s, which has no userspace stand-in\n", name);
	abort();
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- the ceilings: the same bytes, every store sequence the CPU has ---- */

static uint64_t tmpl_words[8] = {	/* any 64 bytes will do: a template */
	0x0000000000000200ULL, 0xdead4ead00000001ULL, 0x12345678ULL, 0,
	0, 0xffffffff00000000ULL, 0, 0x1ULL,
};
static uint8_t *rep_block;		/* the template replicated, 64 KiB */
#define REP_BLOCK	(64 * 1024)

static void seq_movnti(void *dst, size_t n)
{
	uint64_t *d = dst, w0 = tmpl_words[0], w1 = tmpl_words[1], w2 = tmpl_words[2],
		 w3 = tmpl_words[3], w4 = tmpl_words[4], w5 = tmpl_words[5],
		 w6 = tmpl_words[6], w7 = tmpl_words[7];

	for (size_t i = 0; i < n; i++, d += 8) {
		asm volatile("movnti %1, 0(%0)\n\tmovnti %2, 8(%0)\n\t"
			     "movnti %3, 16(%0)\n\tmovnti %4, 24(%0)\n\t"
			     "movnti %5, 32(%0)\n\tmovnti %6, 40(%0)\n\t"
			     "movnti %7, 48(%0)\n\tmovnti %8, 56(%0)"
			     :: "r"(d), "r"(w0), "r"(w1), "r"(w2), "r"(w3), "r"(w4),
				"r"(w5), "r"(w6), "r"(w7) : "memory");
	}
	asm volatile("sfence" ::: "memory");
}

static void seq_stores(void *dst, size_t n)
{
	uint64_t *d = dst, w0 = tmpl_words[0], w1 = tmpl_words[1], w2 = tmpl_words[2],
		 w3 = tmpl_words[3], w4 = tmpl_words[4], w5 = tmpl_words[5],
		 w6 = tmpl_words[6], w7 = tmpl_words[7];

	for (size_t i = 0; i < n; i++, d += 8) {
		asm volatile("movq %1, 0(%0)\n\tmovq %2, 8(%0)\n\t"
			     "movq %3, 16(%0)\n\tmovq %4, 24(%0)\n\t"
			     "movq %5, 32(%0)\n\tmovq %6, 40(%0)\n\t"
			     "movq %7, 48(%0)\n\tmovq %8, 56(%0)"
			     :: "r"(d), "r"(w0), "r"(w1), "r"(w2), "r"(w3), "r"(w4),
				"r"(w5), "r"(w6), "r"(w7) : "memory");
	}
}

__attribute__((target("avx2")))
static void seq_avx2_nt(void *dst, size_t n)
{
	__m256i a = _mm256_loadu_si256((void *)&tmpl_words[0]);
	__m256i b = _mm256_loadu_si256((void *)&tmpl_words[4]);
	__m256i *d = dst;

	for (size_t i = 0; i < n; i++, d += 2) {
		_mm256_stream_si256(d, a);
		_mm256_stream_si256(d + 1, b);
	}
	_mm_sfence();
	_mm256_zeroupper();
}

__attribute__((target("avx512f")))
static void seq_avx512_nt(void *dst, size_t n)
{
	__m512i a = _mm512_loadu_si512((void *)tmpl_words);
	__m512i *d = dst;

	for (size_t i = 0; i < n; i++, d++)
		_mm512_stream_si512(d, a);
	_mm_sfence();
	_mm256_zeroupper();
}

static void seq_rep_movsb(void *dst, size_t n)
{
	size_t bytes = n * 64;
	uint8_t *d = dst;

	while (bytes) {
		size_t c = bytes < REP_BLOCK ? bytes : REP_BLOCK;
		const void *s = rep_block;

		asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(c) :: "memory");
		bytes -= bytes < REP_BLOCK ? bytes : REP_BLOCK;
	}
}

static void seq_rep_stosb_zero(void *dst, size_t n)
{
	size_t c = n * 64;

	asm volatile("rep stosb" : "+D"(dst), "+c"(c) : "a"(0) : "memory");
}

struct seq {
	const char *name;
	void (*fn)(void *dst, size_t n);
	int can_template;	/* writes the template (else: a bound only) */
	const char *feature;
};

static const struct seq seqs[] = {
	{ "movnti", seq_movnti, 1, NULL },
	{ "avx2-nt", seq_avx2_nt, 1, "avx2" },
	{ "avx512-nt", seq_avx512_nt, 1, "avx512f" },
	{ "stores", seq_stores, 1, NULL },
	{ "rep-movsb", seq_rep_movsb, 1, "erms" },
	{ "rep-stosb-zero", seq_rep_stosb_zero, 0, "erms" },
};
#define NR_SEQS (sizeof(seqs) / sizeof(seqs[0]))

static int cpu_has(const char *feature)
{
	if (!feature)
		return 1;
	if (!strcmp(feature, "erms")) {
		unsigned int a, b, c, d;

		asm volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
		return !!(b & (1u << 9));
	}
	__builtin_cpu_init();
	if (!strcmp(feature, "avx2"))
		return __builtin_cpu_supports("avx2");
	if (!strcmp(feature, "avx512f"))
		return __builtin_cpu_supports("avx512f");
	return 0;
}

/* ---- methods: a kernel path in a mode, or a ceiling ---- */

struct method {
	char name[32];
	int path;		/* kernel path, or -1 for a ceiling */
	int mode;
	const struct seq *seq;
	double *ns;		/* samples */
	int used_mode;
};

static uint8_t *buf;
static unsigned long buf_pages;

enum state { S_COLD, S_ZEROED, S_HOT };
static const char *const state_names[] = { "cold", "zeroed", "hot" };

/* Put the struct pages of [0, nr) in state @st (not timed). */
static void prepare_state(int st, unsigned long nr)
{
	uint8_t *p, *end = buf + nr * 64;

	if (st == S_ZEROED) {
		/* as the kernel's clear_page_erms(): rep stosb, a page at a time */
		for (p = buf; p < end; p += 4096) {
			void *d = p;
			size_t c = end - p < 4096 ? (size_t)(end - p) : 4096;

			asm volatile("rep stosb" : "+D"(d), "+c"(c) : "a"(0) : "memory");
		}
		return;
	}
	if (st == S_COLD) {
		for (p = buf; p < end; p += 64)
			asm volatile("clflushopt %0" : "+m"(*(volatile char *)p));
		asm volatile("sfence" ::: "memory");
	}
}

struct job {
	const struct method *m;
	unsigned long pfn, nr;
	int cpu, ret;
};

static void *run_job(void *arg)
{
	struct job *j = arg;

	if (j->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(j->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	if (j->m->path >= 0)
		j->ret = kb_run(j->m->path, j->m->mode, j->pfn, j->nr);
	else
		j->m->seq->fn(buf + (j->pfn - START_PFN) * 64, j->nr);
	return NULL;
}

/* Run @m once over @nr pages from START_PFN with @threads threads. */
static int run_method(const struct method *m, unsigned long nr, int threads)
{
	struct job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	unsigned long sec = kb_section_pages(), per, pfn = START_PFN;
	int i;

	if (threads == 1) {
		jobs[0] = (struct job){ m, START_PFN, nr, -1, 0 };
		run_job(&jobs[0]);
		return jobs[0].ret;
	}
	/* whole sections per thread, as a parallel kernel caller would split */
	per = (nr / sec + threads - 1) / threads * sec;
	for (i = 0; i < threads; i++) {
		unsigned long n = pfn + per <= START_PFN + nr ? per : START_PFN + nr - pfn;

		jobs[i] = (struct job){ m, pfn, n, i, 0 };
		pfn += n;
		if (pthread_create(&tid[i], NULL, run_job, &jobs[i])) {
			perror("pthread_create");
			exit(1);
		}
	}
	for (i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	return jobs[0].ret;
}

/*
 * -R: the longest stretch of struct pages a fill writes between two resched
 * points: the generated __cond_resched() stub calls kb_resched_hook. The
 * memmap is filled with 0xff first; a written struct page's flags are not
 * all ones, and each job writes its range in increasing pfn order, so the
 * pages written so far are found by bisection at every resched point.
 */
void (*kb_resched_hook)(void);
static __thread unsigned long rs_first, rs_nr, rs_last, rs_longest, rs_points;

static int page_written(unsigned long i)
{
	uint64_t w;

	memcpy(&w, buf + i * 64, sizeof(w));
	return w != ~0ULL;
}

static void resched_hook(void)
{
	unsigned long lo = rs_last, hi = rs_nr;

	while (lo < hi) {	/* the first page of the job not written yet */
		unsigned long mid = lo + (hi - lo) / 2;

		if (page_written(rs_first + mid))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo - rs_last > rs_longest)
		rs_longest = lo - rs_last;
	rs_last = lo;
	rs_points++;
}

struct resched_job {
	struct job job;
	unsigned long longest, points, unwritten;
};

static void *resched_job(void *arg)
{
	struct resched_job *r = arg;
	unsigned long i;

	rs_first = r->job.pfn - START_PFN;
	rs_nr = r->job.nr;
	rs_last = rs_longest = rs_points = 0;
	run_job(&r->job);
	/* and from the last resched point to the end of the job */
	if (rs_nr - rs_last > rs_longest)
		rs_longest = rs_nr - rs_last;
	r->longest = rs_longest;
	r->points = rs_points;
	for (i = 0, r->unwritten = 0; i < rs_nr; i++)
		r->unwritten += !page_written(rs_first + i);
	return NULL;
}

/* -R for one method and size: one JSON line; 1 if a page was not written */
static int resched_stretch(const struct method *m, unsigned long mib, int threads)
{
	struct resched_job r[MAX_THREADS] = {};
	unsigned long nr = mib * MIB / 64, sec = kb_section_pages();
	unsigned long per = (nr / sec + threads - 1) / threads * sec, pfn = START_PFN;
	unsigned long longest = 0, points = 0, unwritten = 0;
	pthread_t tid[MAX_THREADS];
	int i;

	memset(buf, 0xff, nr * 64);
	kb_resched_hook = resched_hook;
	for (i = 0; i < threads; i++) {
		unsigned long n = threads == 1 ? nr :
			pfn + per <= START_PFN + nr ? per : START_PFN + nr - pfn;

		r[i].job = (struct job){ m, pfn, n, threads == 1 ? -1 : i, 0 };
		pfn += n;
		if (pthread_create(&tid[i], NULL, resched_job, &r[i])) {
			perror("pthread_create");
			exit(1);
		}
	}
	for (i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		longest = r[i].longest > longest ? r[i].longest : longest;
		points += r[i].points;
		unwritten += r[i].unwritten;
	}
	kb_resched_hook = NULL;
	printf("{\"path\": \"%s\", \"method\": \"%s\", \"mode_used\": \"%s\", \"size_mib\": %lu, "
	       "\"pages\": %lu, \"threads\": %d, \"resched_points\": %lu, \"longest_pages\": %lu, "
	       "\"longest_mib\": %.3f, \"unwritten\": %lu}\n", path_names[m->path], m->name,
	       kb_mode_name(r[0].job.ret), mib, nr, threads, points, longest, longest * 64.0 / MIB,
	       unwritten);
	return unwritten != 0;
}

/* as enum memmap_tmpl_mode */
static const char *const mode_names[] = { "off", "cached", "nt", "auto" };
#define NR_MODES 4

/* Every template mode writes what mode off writes: every page, every byte. */
static int check_equal(unsigned long nr)
{
	size_t bytes = nr * 64;
	uint8_t *ref = malloc(bytes);
	int p, mode, bad = 0;

	/*
	 * Not deferred-init: its template is born free (refcount 0), i.e. what
	 * the init pass and __free_pages_core() leave together; the KUnit
	 * suite checks that against the real free path.
	 */
	for (p = 0; p < KB_NR_PATHS; p++) {
		struct method off = { .path = p, .mode = 0 };

		if (p == KB_DEFERRED_INIT)
			continue;

		memset(buf, 0x5a, bytes);
		run_method(&off, nr, 1);
		memcpy(ref, buf, bytes);
		for (mode = 1; mode < NR_MODES; mode++) {
			struct method m = { .path = p, .mode = mode };
			int used;

			memset(buf, 0xa5, bytes);
			used = run_method(&m, nr, 1);
			if (mode == 3 ? used != 1 && used != 2 : used != mode) {
				fprintf(stderr, "check: %s in mode %s took another mode\n",
					path_names[p], mode_names[mode]);
				bad++;
			}
			if (memcmp(ref, buf, bytes)) {
				unsigned long i = 0;

				while (!memcmp(ref + i * 64, buf + i * 64, 64))
					i++;
				fprintf(stderr, "check: %s mode %s differs from off at page %lu\n",
					path_names[p], mode_names[mode], i);
				bad++;
			}
		}
	}
	free(ref);
	fprintf(stderr, "check: %s over %lu pages of every path but deferred-init\n",
		bad ? "FAILED" : "every mode equal to off", nr);
	return bad;
}

/*
 * The last-level cache as the kernel's cacheinfo has it (the highest
 * index of cpu0 in sysfs: on AMD the L3 of one CCX, which glibc's
 * sysconf() reports for the whole socket), which get_cpu_cacheinfo_llc()
 * returns in the kernel: kfill.c's stand-in returns this.
 */
static long llc_bytes(void)
{
	long size = 0;
	int i;

	for (i = 0; i < 8; i++) {
		char path[96], unit = 0;
		long v;
		FILE *f;

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		f = fopen(path, "r");
		if (!f)
			break;
		if (fscanf(f, "%ld%c", &v, &unit) >= 1)
			size = v * (unit == 'K' ? 1024 : unit == 'M' ? 1024 * 1024 : 1);
		fclose(f);
	}
	return size;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void usage(void)
{
	fprintf(stderr, "usage: kfill-bench [-r ROUNDS] [-t THREADS] [-p PATH,...] [-m MODE,...] [-s cold|zeroed|hot] [-L] [-C] [-R] SIZE_MIB...\n"
		"  -R: instead of timing, the longest run of struct pages written between resched points\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int rounds = 10, threads = 1, check = 0, no_limits = 0, resched = 0, opt, i, r, s, st = S_COLD;
	char paths_arg[256] = "device,device-compound,early,hotplug,deferred-init";
	char modes_arg[64] = "off,cached,nt,auto";
	unsigned long max_mib = 0;
	struct method *ms;
	int nm = 0;

	while ((opt = getopt(argc, argv, "r:t:p:m:s:LCR")) != -1) {
		switch (opt) {
		case 'r': rounds = atoi(optarg); break;
		case 't': threads = atoi(optarg); break;
		case 'p': snprintf(paths_arg, sizeof(paths_arg), "%s", optarg); break;
		case 'm': snprintf(modes_arg, sizeof(modes_arg), "%s", optarg); break;
		case 's':
			for (st = 0; st < 3 && strcmp(optarg, state_names[st]); st++)
				;
			if (st == 3)
				usage();
			break;
		case 'L': no_limits = 1; break;
		case 'C': check = 1; break;
		case 'R': resched = 1; no_limits = 1; break;
		default: usage();
		}
	}
	if (optind >= argc || rounds < 1 || threads < 1 || threads > MAX_THREADS)
		usage();
	for (i = optind; i < argc; i++) {
		long mib = atol(argv[i]);

		if (mib < 1 || mib > (1L << 20)) {
			fprintf(stderr, "kfill-bench: size %s: a number of MiB from 1\n", argv[i]);
			return 2;
		}
		if ((unsigned long)mib > max_mib)
			max_mib = mib;
	}
	if (kb_struct_page_size() != 64) {
		fprintf(stderr, "kfill-bench: struct page is %d bytes in this config; the ceilings write 64\n",
			kb_struct_page_size());
		return 1;
	}

	/* the memmap: 2 MiB pages, as the kernel's vmemmap, touched first */
	buf_pages = max_mib * MIB / 64;
	size_t bytes = (buf_pages * 64 + (2 * MIB - 1)) & ~(2 * MIB - 1);
	buf = mmap(NULL, bytes + 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	buf = (uint8_t *)(((uintptr_t)buf + 2 * MIB - 1) & ~(2 * MIB - 1));
	madvise(buf, bytes, MADV_HUGEPAGE);
	memset(buf, 0, bytes);
	rep_block = aligned_alloc(4096, REP_BLOCK);
	for (i = 0; i < REP_BLOCK / 64; i++)
		memcpy(rep_block + i * 64, tmpl_words, 64);
	long llc = llc_bytes();

	fprintf(stderr, "kfill-bench: last-level cache %ld KiB, as the kernel's cacheinfo reports it\n",
		llc / 1024);
	if (kb_setup(buf, START_PFN, (buf_pages + kb_section_pages() - 1) / kb_section_pages() *
		     kb_section_pages(), llc > 0 ? llc : 0)) {
		fprintf(stderr, "kfill-bench: kb_setup failed\n");
		return 1;
	}
	/*
	 * A cold device or hotplug memmap is one the page allocator did not
	 * zero: a kernel without init_on_alloc; a zeroed one, with it.
	 */
	kb_set_init_on_alloc(st != S_COLD);
	if (check && check_equal(buf_pages < 3 * 32768 ? buf_pages : 3 * 32768 + 513))
		return 1;

	ms = calloc(64, sizeof(*ms));
	for (char *p = strtok(paths_arg, ","); p; p = strtok(NULL, ",")) {
		int path;

		for (path = 0; path < KB_NR_PATHS && strcmp(p, path_names[path]); path++)
			;
		if (path == KB_NR_PATHS) {
			fprintf(stderr, "kfill-bench: unknown path %s\n", p);
			return 2;
		}
		char modes_copy[64], *save;

		snprintf(modes_copy, sizeof(modes_copy), "%s", modes_arg);
		for (char *m = strtok_r(modes_copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
			int mode;

			for (mode = 0; mode < NR_MODES && strcmp(m, mode_names[mode]); mode++)
				;
			if (mode == NR_MODES) {
				fprintf(stderr, "kfill-bench: unknown mode %s\n", m);
				return 2;
			}
			ms[nm].path = path;
			ms[nm].mode = mode;
			snprintf(ms[nm].name, sizeof(ms[nm].name), "%s", mode_names[mode]);
			nm++;
		}
		/* strtok state was clobbered by nothing: strtok_r above */
	}
	for (i = 0; !no_limits && i < (int)NR_SEQS; i++) {
		if (!cpu_has(seqs[i].feature)) {
			fprintf(stderr, "kfill-bench: no %s on this CPU: sequence %s skipped\n",
				seqs[i].feature, seqs[i].name);
			continue;
		}
		ms[nm].path = -1;
		ms[nm].seq = &seqs[i];
		snprintf(ms[nm].name, sizeof(ms[nm].name), "%s", seqs[i].name);
		nm++;
	}

	if (resched) {
		int bad = 0;

		for (s = optind; s < argc; s++)
			for (i = 0; i < nm; i++)
				bad += resched_stretch(&ms[i], atol(argv[s]), threads);
		return bad ? 1 : 0;
	}
	for (s = optind; s < argc; s++) {
		unsigned long mib = atol(argv[s]), nr = mib * MIB / 64;
		unsigned long reps = (MIN_SAMPLE_MIB + mib - 1) / mib;

		for (i = 0; i < nm; i++)
			ms[i].ns = calloc(rounds, sizeof(double));
		for (r = 0; r < rounds; r++) {
			/* interleaved, each round starting one method later */
			for (int k = 0; k < nm; k++) {
				struct method *m = &ms[(k + r) % nm];
				double ns = 0;

				for (unsigned long rep = 0; rep < reps; rep++) {
					double t0;

					prepare_state(st, nr);
					t0 = now_ns();
					m->used_mode = run_method(m, nr, threads);
					ns += now_ns() - t0;
				}
				m->ns[r] = ns / ((double)reps * nr);
			}
		}
		for (i = 0; i < nm; i++) {
			struct method *m = &ms[i];
			double sorted[rounds];

			printf("{\"path\": \"%s\", \"method\": \"%s\", ", m->path >= 0 ? path_names[m->path] : "limit", m->name);
			if (m->path < 0)
				printf("\"template\": %s, ", m->seq->can_template ? "true" : "false");
			else
				printf("\"mode_used\": \"%s\", ", kb_mode_name(m->used_mode));
			printf("\"size_mib\": %lu, \"pages\": %lu, \"threads\": %d, \"state\": \"%s\", \"reps\": %lu, \"ns_per_page\": [",
			       mib, nr, threads, state_names[st], reps);
			for (r = 0; r < rounds; r++)
				printf("%s%.4f", r ? ", " : "", m->ns[r]);
			printf("]}\n");
			memcpy(sorted, m->ns, sizeof(sorted));
			qsort(sorted, rounds, sizeof(double), cmp_double);
			fprintf(stderr, "  %5lu MiB %-6s %-16s %-15s median %.3f ns/page\n", mib, state_names[st],
				m->path >= 0 ? path_names[m->path] : "limit", m->name, sorted[rounds / 2]);
			free(m->ns);
		}
		fflush(stdout);
	}
	return 0;
}
