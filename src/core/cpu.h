/*
 * cpu.h - how many cores this process may run on (its affinity mask,
 * which honours taskset and container limits), at least 1.
 */
#ifndef LATHE_CPU_H
#define LATHE_CPU_H

int	cpu_count(void);

#endif
