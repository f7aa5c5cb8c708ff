/* A SQLite VFS for tests that wraps the default one and injects the failures of a real disk,
 * as SQLite's own test VFSes do: a write that fails (SQLITE_IOERR_WRITE) or finds the disk
 * full (SQLITE_FULL) after a countdown, and a database file that opens read-only. */
#ifndef SVP_FAULTVFS_H
#define SVP_FAULTVFS_H

#include <stdbool.h>

enum faultvfs_fault { FAULTVFS_NONE, FAULTVFS_IOERR, FAULTVFS_FULL };

/* Registers the VFS as SQLite's default (once, before databases are opened). */
int faultvfs_install(void);

/* After n more writes succeed, every write fails with fault until faultvfs_set is called
 * again (FAULTVFS_NONE: no failures). */
void faultvfs_set(enum faultvfs_fault fault, long n);

/* True if a write has failed since the last faultvfs_set. */
bool faultvfs_fired(void);

/* While on, main database files open read-only, as for a file the user may not write. */
void faultvfs_readonly(bool on);

#endif
