#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "yourict_system.h"

int yourict_rename_exchange(const char *a, const char *b) {
#ifdef RENAME_EXCHANGE
    return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* jemalloc's control interface. yourict is linked with jemalloc on Linux (see
   Package.swift): Swift's allocations are many and small, and glibc's allocator spent a
   tenth of a build. Weak, so that a binary without it falls back to glibc's calls. */
extern int mallctl(const char *name, void *oldp, size_t *oldlenp, void *newp, size_t newlen) __attribute__((weak));

long long yourict_live_heap_bytes(void) {
    if (mallctl) {
        /* Statistics are refreshed when the epoch advances. */
        uint64_t epoch = 1;
        size_t length = sizeof(epoch);
        mallctl("epoch", &epoch, &length, &epoch, length);
        size_t allocated = 0;
        length = sizeof(allocated);
        return mallctl("stats.allocated", &allocated, &length, NULL, 0) == 0 ? (long long)allocated : -1;
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 info = mallinfo2();
    return (long long)(info.uordblks + info.hblkhd);
#else
    return -1;
#endif
}

void yourict_trim_heap(void) {
    if (mallctl) {
        /* Every arena (MALLCTL_ARENAS_ALL is 4096) gives its unused pages back now,
           rather than after its decay time. */
        mallctl("arena.4096.purge", NULL, NULL, NULL, 0);
        return;
    }
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

const void *yourict_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length);
}
