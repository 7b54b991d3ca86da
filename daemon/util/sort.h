/*
 * sort: an insertion sort of a few uint32_t, for the short lists of the
 * matching hot path (candidate patterns, the members a DFA state matched),
 * where it beats qsort() and allocates nothing.
 */
#ifndef FW_UTIL_SORT_H
#define FW_UTIL_SORT_H

#include <stdint.h>

/* Sorts a[0..n) ascending in place; O(n^2): meant for n up to a few dozen. */
static inline void
fw_sort_u32_small(uint32_t *a, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = a[i], j = i;

		while (j && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

#endif
