/* Row writers for the extracts: RFC 4180 quoting, the three encodings and line ends the
 * agencies' exports use, and the truth row that maps every data row to its person. */
#include "synth_int.h"

#include <stdarg.h>
#include <string.h>

static void put(struct out_file *o, const char *s, size_t n)
{
    if (o->len + n + 4 > sizeof o->buf)
        n = sizeof o->buf - o->len - 4; /* rows are far below the cap; never overflow */
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void sep(struct out_file *o)
{
    if (o->nfields++)
        put(o, ",", 1);
}

void out_str(struct out_file *o, const char *s)
{
    sep(o);
    if (!s)
        return;
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"")) {
        put(o, s, n);
        return;
    }
    put(o, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            put(o, "\"", 1);
        put(o, p, 1);
    }
    put(o, "\"", 1);
}

void out_fmt(struct out_file *o, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    out_str(o, tmp);
}

/* Writes v as exactly width digits (zero padded) into p. */
static void digits(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void out_u64(struct out_file *o, uint64_t v)
{
    char tmp[24];
    int n = 0;
    char rev[24];
    do {
        rev[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    sep(o);
    put(o, tmp, (size_t)n);
}

/* A date as the extracts write it: year, month, day (or day, month, year when day_first),
 * zero padded, with between between the fields unless it is 0. */
static void put_date(struct out_file *o, svp_day d, bool day_first, char between)
{
    int y, m, dd;
    svp_date_to_ymd(d, &y, &m, &dd);
    const unsigned v[3] = {(unsigned)(day_first ? dd : y), (unsigned)m,
                           (unsigned)(day_first ? y : dd)};
    const int w[3] = {day_first ? 2 : 4, 2, day_first ? 4 : 2};
    char t[10];
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        if (i && between)
            t[n++] = between;
        digits(t + n, v[i], w[i]);
        n += (size_t)w[i];
    }
    sep(o);
    put(o, t, n);
}

void out_date_iso(struct out_file *o, svp_day d)
{
    put_date(o, d, false, '-');
}

void out_date_dmy(struct out_file *o, svp_day d)
{
    put_date(o, d, true, '/');
}

void out_date_compact(struct out_file *o, svp_day d)
{
    put_date(o, d, false, 0);
}

static void split_time(svp_time t, svp_day *d, int *hh, int *mm, int *ss)
{
    int64_t day = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        day--;
    }
    *d = (svp_day)day;
    *hh = (int)(rem / 3600);
    *mm = (int)(rem / 60 % 60);
    *ss = (int)(rem % 60);
}

/* A date and time: the date as date_field writes it, then between, HH:MM and, with
 * seconds, :SS. The agencies' extracts differ only in these choices. */
static void put_time(struct out_file *o, svp_time t, void (*date_field)(struct out_file *, svp_day),
                     char between, bool seconds)
{
    svp_day d;
    int hh, mm, ss;
    split_time(t, &d, &hh, &mm, &ss);
    date_field(o, d);
    char x[9] = {between, 0, 0, ':', 0, 0, ':', 0, 0};
    digits(x + 1, (unsigned)hh, 2);
    digits(x + 4, (unsigned)mm, 2);
    if (seconds)
        digits(x + 7, (unsigned)ss, 2);
    put(o, x, seconds ? 9 : 6);
}

void out_time_dmy(struct out_file *o, svp_time t)
{
    put_time(o, t, out_date_dmy, ' ', false);
}

void out_time_iso(struct out_file *o, svp_time t)
{
    put_time(o, t, out_date_iso, ' ', false);
}

void out_time_isot(struct out_file *o, svp_time t)
{
    put_time(o, t, out_date_iso, 'T', true);
}

int out_line(struct out_file *o)
{
    if (o->enc == ENC_CP1252) {
        /* synth only writes Latin-1 letters beyond ASCII: U+00C0..U+00FF are 0xC3 0x80..0xBF
         * in UTF-8 and the same code points as single bytes in Windows-1252. */
        size_t w = 0;
        for (size_t r = 0; r < o->len; r++) {
            unsigned char c = (unsigned char)o->buf[r];
            if (c == 0xC3 && r + 1 < o->len) {
                o->buf[w++] = (char)((unsigned char)o->buf[++r] + 0x40);
                continue;
            }
            o->buf[w++] = (char)c;
        }
        o->len = w;
    }
    if (o->crlf)
        o->buf[o->len++] = '\r';
    o->buf[o->len++] = '\n';
    size_t n = fwrite(o->buf, 1, o->len, o->f);
    bool ok = n == o->len;
    o->len = 0;
    o->nfields = 0;
    o->line++;
    return ok ? SVP_OK : SVP_EIO;
}
