// SPDX-License-Identifier: GPL-2.0
/*
 * nstime: run a command and print its wall time in nanoseconds
 * (CLOCK_MONOTONIC) on stderr as "nstime <ns> <exit status>".
 * Busybox's time(1) has 10 ms resolution; the guest benchmarks need ns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long start, end;
	int status;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: nstime COMMAND [ARG...]\n");
		return 2;
	}
	start = now_ns();
	pid = fork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		perror("nstime");
		return 2;
	}
	end = now_ns();
	status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(stderr, "nstime %lld %d\n", end - start, status);
	return status;
}
