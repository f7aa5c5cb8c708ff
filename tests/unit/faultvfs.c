/* A fault-injecting SQLite VFS for tests (faultvfs.h). Test-only state is process-wide. */
#include "faultvfs.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <string.h>

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fault_vfs;
static _Atomic int fault_kind;
static _Atomic long fault_countdown;
static _Atomic bool fault_fired;
static _Atomic bool readonly_mode;

struct fault_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct fault_file *)f)->real;
}

static int f_close(sqlite3_file *f)
{
    return real_of(f)->pMethods->xClose(real_of(f));
}

static int f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
    return real_of(f)->pMethods->xRead(real_of(f), buf, n, off);
}

static int f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
    int kind = atomic_load(&fault_kind);
    if (kind != FAULTVFS_NONE && atomic_fetch_sub(&fault_countdown, 1) <= 0) {
        atomic_store(&fault_fired, true);
        return kind == FAULTVFS_FULL ? SQLITE_FULL : SQLITE_IOERR_WRITE;
    }
    return real_of(f)->pMethods->xWrite(real_of(f), buf, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return real_of(f)->pMethods->xTruncate(real_of(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
    return real_of(f)->pMethods->xSync(real_of(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return real_of(f)->pMethods->xFileSize(real_of(f), size);
}

static int f_lock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xLock(real_of(f), l);
}

static int f_unlock(sqlite3_file *f, int l)
{
    return real_of(f)->pMethods->xUnlock(real_of(f), l);
}

static int f_check(sqlite3_file *f, int *out)
{
    return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
    return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
    return real_of(f)->pMethods->xSectorSize(real_of(f));
}

static int f_caps(sqlite3_file *f)
{
    return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
    return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, pp);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
    return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
    real_of(f)->pMethods->xShmBarrier(real_of(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
    return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

static int f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
    return real_of(f)->pMethods->xFetch(real_of(f), off, n, pp);
}

static int f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
    return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

static const sqlite3_io_methods fault_io = {
    3,          f_close,       f_read,      f_write,   f_truncate, f_sync, f_size,
    f_lock,     f_unlock,      f_check,     f_control, f_sector,   f_caps, f_shm_map,
    f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch,   f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    struct fault_file *ff = (struct fault_file *)f;
    ff->real = (sqlite3_file *)(ff + 1);
    if (atomic_load(&readonly_mode) && (flags & SQLITE_OPEN_MAIN_DB) &&
        (flags & SQLITE_OPEN_READWRITE)) {
        /* as the unix VFS does when the file may not be written: open it read-only */
        flags = (flags & ~(SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_READONLY;
    }
    int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out);
    f->pMethods = rc == SQLITE_OK && ff->real->pMethods ? &fault_io : NULL;
    return rc;
}

int faultvfs_install(void)
{
    if (real_vfs)
        return SQLITE_OK;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs)
        return SQLITE_ERROR;
    fault_vfs = *real_vfs;
    fault_vfs.zName = "svp-fault";
    fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
    fault_vfs.xOpen = v_open;
    fault_vfs.pNext = NULL;
    return sqlite3_vfs_register(&fault_vfs, 1);
}

void faultvfs_set(enum faultvfs_fault fault, long n)
{
    atomic_store(&fault_countdown, n);
    atomic_store(&fault_fired, false);
    atomic_store(&fault_kind, (int)fault);
}

bool faultvfs_fired(void)
{
    return atomic_load(&fault_fired);
}

void faultvfs_readonly(bool on)
{
    atomic_store(&readonly_mode, on);
}
