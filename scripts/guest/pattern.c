// SPDX-License-Identifier: GPL-2.0
/*
 * pattern: write or verify a seeded pseudo-random pattern on a pmem block
 * device (pwrite/pread + fsync) or a device-dax character device (mmap: it
 * has no read/write).
 *
 *   pattern write DEVICE MIB SEED
 *   pattern check DEVICE MIB SEED   (exit 1 and the first bad offset on mismatch)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (1UL << 20)

static void fill(uint64_t *buf, uint64_t seed, uint64_t first)
{
	uint64_t i, x;

	for (i = 0; i < CHUNK / 8; i++) {
		x = seed ^ ((first + i) * 0x9e3779b97f4a7c15ULL);
		x ^= x >> 31;
		x *= 0xbf58476d1ce4e5b9ULL;
		buf[i] = x ^ (x >> 27);
	}
}

int main(int argc, char **argv)
{
	static uint64_t want[CHUNK / 8], got[CHUNK / 8];
	unsigned long mib, c;
	char *map = NULL;
	uint64_t seed;
	struct stat st;
	int fd, check;

	if (argc != 5 || (strcmp(argv[1], "write") && strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: pattern write|check DEVICE MIB SEED\n");
		return 2;
	}
	check = !strcmp(argv[1], "check");
	mib = strtoul(argv[3], NULL, 0);
	seed = strtoull(argv[4], NULL, 0);
	fd = open(argv[2], O_RDWR);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[2]);
		return 2;
	}
	if (S_ISCHR(st.st_mode)) {
		map = mmap(NULL, mib * CHUNK, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED) {
			perror("mmap");
			return 2;
		}
	}
	for (c = 0; c < mib; c++) {
		fill(want, seed, c * CHUNK / 8);
		if (!check) {
			if (map)
				memcpy(map + c * CHUNK, want, CHUNK);
			else if (pwrite(fd, want, CHUNK, c * CHUNK) != (ssize_t)CHUNK)
				goto io_error;
			continue;
		}
		if (map)
			memcpy(got, map + c * CHUNK, CHUNK);
		else if (pread(fd, got, CHUNK, c * CHUNK) != (ssize_t)CHUNK)
			goto io_error;
		if (memcmp(got, want, CHUNK)) {
			fprintf(stderr, "%s: mismatch in MiB %lu\n", argv[2], c);
			return 1;
		}
	}
	if (!map && !check && fsync(fd))
		goto io_error;
	return close(fd) ? 2 : 0;
io_error:
	perror(argv[2]);
	return 2;
}
