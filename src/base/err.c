/* Errors as values: a status code plus a message a person can act on. */
#include "base.h"

#include <string.h>

void svp_err_clear(struct svp_err *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

/* Formats first, then clears: the arguments may point into err itself (a caller adding
 * context to the message it already holds). */
static void err_vset(struct svp_err *err, int code, const char *file, long line,
                     const char *field, const char *fmt, va_list ap)
{
    char msg[sizeof err->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    char fieldcopy[sizeof err->field] = "";
    if (field)
        svp_strlcpy(fieldcopy, field, sizeof fieldcopy);
    char filecopy[sizeof err->file] = "";
    if (file)
        svp_strlcpy(filecopy, file, sizeof filecopy);
    svp_err_clear(err);
    err->code = code;
    err->line = line;
    memcpy(err->msg, msg, sizeof msg);
    memcpy(err->field, fieldcopy, sizeof fieldcopy);
    memcpy(err->file, filecopy, sizeof filecopy);
}

int svp_err_set(struct svp_err *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, NULL, 0, NULL, fmt, ap);
    va_end(ap);
    return code;
}

int svp_err_at(struct svp_err *err, int code, const char *file, long line, const char *field,
               const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    va_start(ap, fmt);
    err_vset(err, code, file, line, field, fmt, ap);
    va_end(ap);
    return code;
}

void svp_err_format(const struct svp_err *err, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    size_t off = 0;
    int n;
    if (err->file[0]) {
        if (err->line > 0)
            n = snprintf(buf, cap, "%s:%ld: ", err->file, err->line);
        else
            n = snprintf(buf, cap, "%s: ", err->file);
        off = n > 0 && (size_t)n < cap ? (size_t)n : cap - 1;
    }
    if (err->field[0] && off < cap - 1) {
        n = snprintf(buf + off, cap - off, "field %s: ", err->field);
        off += n > 0 && (size_t)n < cap - off ? (size_t)n : cap - off - 1;
    }
    if (off < cap - 1)
        snprintf(buf + off, cap - off, "%s", err->msg[0] ? err->msg : svp_status_name(err->code));
    /* One line: a message that contains a newline would break log and stderr parsing. */
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int svp_exit_code(int status)
{
    switch (status) {
    case SVP_OK:
        return 0;
    case SVP_EINPUT:
    case SVP_EIO:
    case SVP_ENOTFOUND:
    case SVP_ECONFLICT:
        return 1;
    case SVP_EUSAGE:
        return 2;
    default:
        return 3;
    }
}

const char *svp_status_name(int status)
{
    switch (status) {
    case SVP_OK:
        return "ok";
    case SVP_EINPUT:
        return "bad input";
    case SVP_EUSAGE:
        return "usage error";
    case SVP_EINTERNAL:
        return "internal error";
    case SVP_ENOMEM:
        return "out of memory";
    case SVP_EIO:
        return "input/output error";
    case SVP_ENOTFOUND:
        return "not found";
    case SVP_EDB:
        return "database error";
    case SVP_ECONFLICT:
        return "conflict";
    default:
        return "unknown error";
    }
}
