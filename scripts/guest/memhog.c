// SPDX-License-Identifier: GPL-2.0
/*
 * memhog: memory pressure for the stress test. Allocates MIB MiB, touches
 * every page, frees it, again, until killed (or ROUNDS rounds).
 *   memhog MIB [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv)
{
	long mib, rounds, r;

	if (argc < 2 || (mib = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: memhog MIB [ROUNDS]\n");
		return 2;
	}
	rounds = argc > 2 ? atol(argv[2]) : -1;
	for (r = 0; rounds < 0 || r < rounds; r++) {
		size_t len = (size_t)mib << 20;
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			continue;	/* under pressure: try again */
		for (size_t i = 0; i < len; i += 4096)
			p[i] = (char)i;
		munmap(p, len);
	}
	return 0;
}
