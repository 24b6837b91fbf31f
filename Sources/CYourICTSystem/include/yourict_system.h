#ifndef YOURICT_SYSTEM_H
#define YOURICT_SYSTEM_H

/// Atomically exchanges two paths on the same file system (Linux renameat2 with
/// RENAME_EXCHANGE). Returns 0 on success, -1 with errno set otherwise; errno is
/// EINVAL or ENOSYS where the file system or kernel cannot exchange.
int yourict_rename_exchange(const char *a, const char *b);

/// Bytes allocated with malloc and not yet freed, in all arenas (jemalloc's
/// stats.allocated, or glibc's mallinfo2); -1 where the allocator cannot tell.
long long yourict_live_heap_bytes(void);

/// Returns the heap's free memory to the system (jemalloc's purge of every arena, or
/// glibc's malloc_trim); nothing elsewhere.
void yourict_trim_heap(void);

#include <stddef.h>

/// The first occurrence of `needle` in `haystack` (glibc's memmem, vectorised), or NULL.
const void *yourict_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
