/*
 * cpu.c - the number of usable cores.
 */
#include <sched.h>
#include <unistd.h>

#include "core/cpu.h"

int
cpu_count(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0) {
		n = CPU_COUNT(&set);
		if (n >= 1)
			return (int)n;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : (int)n;
}
