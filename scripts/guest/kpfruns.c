// SPDX-License-Identifier: GPL-2.0
/*
 * kpfruns: print /proc/kpageflags as runs of pfns whose flags, ANDed with a
 * mask, are equal: "MMT-KPF <first pfn> <last pfn> <masked flags>", in hex.
 * The default mask holds the bits memmap init decides and nothing later
 * changes: KPF_NOPAGE (20), KPF_OFFLINE (23) and KPF_RESERVED (32).
 * Usage: kpfruns [MASK]
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK 65536

int main(int argc, char **argv)
{
	uint64_t mask = argc > 1 ? strtoull(argv[1], NULL, 0) :
			(1ULL << 20) | (1ULL << 23) | (1ULL << 32);
	static uint64_t buf[CHUNK];
	uint64_t pfn = 0, start = 0, cur = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		perror("/proc/kpageflags");
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n / 8; i++, pfn++) {
			uint64_t f = buf[i] & mask;

			if (pfn && f == cur)
				continue;
			if (pfn)
				printf("MMT-KPF %" PRIx64 " %" PRIx64 " %" PRIx64 "\n",
				       start, pfn - 1, cur);
			start = pfn;
			cur = f;
		}
	}
	if (n < 0) {
		perror("read /proc/kpageflags");
		return 1;
	}
	if (pfn)
		printf("MMT-KPF %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", start, pfn - 1, cur);
	printf("MMT-KPF-PFNS %" PRIx64 "\n", pfn);
	return 0;
}
