#ifndef YOURICT_SYSTEM_H
#define YOURICT_SYSTEM_H

/// Atomically exchanges two paths on the same file system (Linux renameat2 with
/// RENAME_EXCHANGE). Returns 0 on success, -1 with errno set otherwise; errno is
/// EINVAL or ENOSYS where the file system or kernel cannot exchange.
int yourict_rename_exchange(const char *a, const char *b);

#endif
