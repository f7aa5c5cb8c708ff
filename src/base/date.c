/* Dates as day numbers and times as seconds, both counted from 1970-01-01 UTC, with
 * strict ISO 8601 parsing: a date that does not exist (2023-02-29) is refused. */
#include "base.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Civil date to day number, valid for the proleptic Gregorian calendar. */
static int64_t civil_to_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void svp_date_to_ymd(svp_day day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

int svp_date_from_ymd(int y, int m, int d, svp_day *out)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return SVP_EINPUT;
    *out = (svp_day)civil_to_days(y, m, d);
    return SVP_OK;
}

int svp_date_weekday(svp_day day)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = ((int64_t)day + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

int svp_date_age(svp_day dob, svp_day on)
{
    int y1, m1, d1, y2, m2, d2;
    svp_date_to_ymd(dob, &y1, &m1, &d1);
    svp_date_to_ymd(on, &y2, &m2, &d2);
    return y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
}

svp_day svp_date_add_months(svp_day day, int months)
{
    int y, m, d;
    svp_date_to_ymd(day, &y, &m, &d);
    int64_t total = (int64_t)y * 12 + (m - 1) + months;
    int ny = (int)(total / 12), nm = (int)(total % 12) + 1;
    int dim = days_in_month(ny, nm);
    return (svp_day)civil_to_days(ny, nm, d > dim ? dim : d);
}

/* Writes n decimal digits of v (0 <= v < 10^n) at out. */
static void put_digits(char *out, int v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* Writes YYYY-MM-DD at out (10 bytes, no NUL); false for a year outside 0..9999. Done by
 * hand because an import formats millions of dates and snprintf is slow. */
static bool put_ymd(char *out, int y, int m, int d)
{
    if (y < 0 || y > 9999)
        return false;
    put_digits(out, y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
    return true;
}

void svp_date_format(svp_day day, char *buf, size_t cap)
{
    int y, m, d;
    svp_date_to_ymd(day, &y, &m, &d);
    if (cap > 10 && put_ymd(buf, y, m, d))
        buf[10] = '\0';
    else
        snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

void svp_time_format(svp_time t, char *buf, size_t cap)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    int y, m, d;
    svp_date_to_ymd((svp_day)days, &y, &m, &d);
    if (cap > 20 && put_ymd(buf, y, m, d)) {
        buf[10] = 'T';
        put_digits(buf + 11, (int)(secs / 3600), 2);
        buf[13] = ':';
        put_digits(buf + 14, (int)(secs / 60 % 60), 2);
        buf[16] = ':';
        put_digits(buf + 17, (int)(secs % 60), 2);
        buf[19] = 'Z';
        buf[20] = '\0';
        return;
    }
    snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, (int)(secs / 3600),
             (int)(secs / 60 % 60), (int)(secs % 60));
}

/* Reads exactly n digits at s[*i]; returns -1 if they are not all digits. */
static int read_digits(const char *s, size_t len, size_t *i, int n)
{
    if (*i + (size_t)n > len)
        return -1;
    int v = 0;
    for (int k = 0; k < n; k++) {
        char c = s[*i + (size_t)k];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *i += (size_t)n;
    return v;
}

/* A value that names no personal data can be echoed; a date is short, so show it. */
static int bad_date(struct svp_err *err, const char *s, size_t len, const char *why)
{
    int show = len > 40 ? 40 : (int)len;
    return svp_err_set(err, SVP_EINPUT, "'%.*s' is not a valid date: %s", show, s, why);
}

static int parse_ymd(const char *s, size_t len, size_t *i, svp_day *out, struct svp_err *err)
{
    int y = read_digits(s, len, i, 4);
    if (y < 0 || *i >= len || s[*i] != '-')
        return bad_date(err, s, len, "expected YYYY-MM-DD");
    (*i)++;
    int m = read_digits(s, len, i, 2);
    if (m < 0 || *i >= len || s[*i] != '-')
        return bad_date(err, s, len, "expected YYYY-MM-DD");
    (*i)++;
    int d = read_digits(s, len, i, 2);
    if (d < 0)
        return bad_date(err, s, len, "expected YYYY-MM-DD");
    if (svp_date_from_ymd(y, m, d, out))
        return bad_date(err, s, len, "no such day in the calendar");
    return SVP_OK;
}

int svp_date_parse_iso(const char *s, size_t len, svp_day *out, struct svp_err *err)
{
    size_t i = 0;
    int rc = parse_ymd(s, len, &i, out, err);
    if (rc)
        return rc;
    if (i != len)
        return bad_date(err, s, len, "unexpected characters after the date");
    return SVP_OK;
}

static int parse_offset(const char *s, size_t len, size_t *i, int *offset_s)
{
    *offset_s = 0;
    if (*i == len)
        return SVP_OK;
    if (s[*i] == 'Z') {
        (*i)++;
        return SVP_OK;
    }
    if (s[*i] != '+' && s[*i] != '-')
        return SVP_EINPUT;
    int sign = s[*i] == '-' ? -1 : 1;
    (*i)++;
    int hh = read_digits(s, len, i, 2);
    if (hh < 0 || hh > 23)
        return SVP_EINPUT;
    if (*i < len && s[*i] == ':')
        (*i)++;
    int mm = read_digits(s, len, i, 2);
    if (mm < 0 || mm > 59)
        return SVP_EINPUT;
    *offset_s = sign * (hh * 3600 + mm * 60);
    return SVP_OK;
}

int svp_time_parse_iso(const char *s, size_t len, svp_time *out, struct svp_err *err)
{
    size_t i = 0;
    svp_day day;
    int rc = parse_ymd(s, len, &i, &day, err);
    if (rc)
        return rc;
    int hh = 0, mi = 0, ss = 0, off = 0;
    if (i < len) {
        if (s[i] != 'T' && s[i] != ' ')
            return bad_date(err, s, len, "expected 'T' between date and time");
        i++;
        hh = read_digits(s, len, &i, 2);
        if (hh < 0 || hh > 23 || i >= len || s[i] != ':')
            return bad_date(err, s, len, "expected HH:MM after the date");
        i++;
        mi = read_digits(s, len, &i, 2);
        if (mi < 0 || mi > 59)
            return bad_date(err, s, len, "minutes must be 00-59");
        if (i < len && s[i] == ':') {
            i++;
            ss = read_digits(s, len, &i, 2);
            if (ss < 0 || ss > 59)
                return bad_date(err, s, len, "seconds must be 00-59");
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                size_t start = i;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                    i++;
                if (i == start)
                    return bad_date(err, s, len, "expected digits after the decimal point");
            }
        }
        if (parse_offset(s, len, &i, &off))
            return bad_date(err, s, len, "bad time zone offset");
    }
    if (i != len)
        return bad_date(err, s, len, "unexpected characters after the time");
    *out = (svp_time)day * 86400 + hh * 3600 + mi * 60 + ss - off;
    return SVP_OK;
}

/* Reads one or two digits (for day, month, hour, minute, second fields of local
 * formats such as 5/3/2020), or exactly four for a year. */
static int read_field(const char *s, size_t len, size_t *i, bool year)
{
    if (year)
        return read_digits(s, len, i, 4);
    int v = read_digits(s, len, i, 1);
    if (v < 0)
        return -1;
    if (*i < len && s[*i] >= '0' && s[*i] <= '9')
        v = v * 10 + (s[(*i)++] - '0');
    return v;
}

/* Month names and abbreviations (any case): "Feb", "February", "Sept" -> 1..12, with the
 * letters read at s[*i]; -1 if none. The longest name that matches wins. */
static int read_month_name(const char *s, size_t len, size_t *i)
{
    static const char *const names[12] = {"january", "february", "march", "april", "may",
                                          "june", "july", "august", "september", "october",
                                          "november", "december"};
    size_t n = 0;
    while (*i + n < len && n < 10 &&
           ((s[*i + n] | 0x20) >= 'a' && (s[*i + n] | 0x20) <= 'z'))
        n++;
    if (n < 3)
        return -1;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(names[m]);
        bool ok = n <= full || (m == 8 && n == 4); /* "Sept" */
        for (size_t k = 0; ok && k < n; k++)
            ok = (s[*i + k] | 0x20) == names[m][k];
        if (ok && (n == 3 || n == full || (m == 8 && n == 4))) {
            *i += n;
            return m + 1;
        }
    }
    return -1;
}

/* Excel's serial day numbers: 1 is 1900-01-01 and 60 Excel's 29 February 1900, which never
 * was; from 61 on day 0 is 1899-12-30. A fraction is the time of day. */
static int parse_excel(const char *s, size_t len, svp_time *out, struct svp_err *err)
{
    size_t i = 0;
    int64_t whole = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i < 8)
        whole = whole * 10 + (s[i++] - '0');
    if (i == 0)
        return bad_date(err, s, len, "not an Excel serial date (a number of days)");
    double frac = 0, scale = 0.1;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            frac += (s[i++] - '0') * scale;
            scale /= 10;
        }
    }
    if (i != len)
        return bad_date(err, s, len, "not an Excel serial date (a number of days)");
    if (whole < 1 || whole > 2958465 || whole == 60)
        return bad_date(err, s, len, "no such day in Excel's calendar");
    svp_time base = civil_to_days(1899, 12, whole < 60 ? 31 : 30);
    int64_t secs = (int64_t)(frac * 86400 + 0.5);
    *out = (base + whole) * 86400 + (secs > 86399 ? 86399 : secs);
    return SVP_OK;
}

/* The last Sunday of a month, as a day number. */
static svp_day last_sunday(int y, int m)
{
    svp_day d = (svp_day)civil_to_days(y, m, days_in_month(y, m));
    return d - (svp_day)((svp_date_weekday(d) + 1) % 7);
}

svp_time svp_london_to_utc(svp_time local)
{
    int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    int y, m, d;
    svp_date_to_ymd((svp_day)days, &y, &m, &d);
    /* British Summer Time: from 01:00 GMT on the last Sunday of March (local 01:00 becomes
     * 02:00) to 01:00 GMT on the last Sunday of October (local 02:00 BST becomes 01:00). A
     * local time in the skipped hour is read as GMT; one in the repeated hour as BST. */
    svp_time start = (svp_time)last_sunday(y, 3) * 86400 + 3600;
    svp_time end = (svp_time)last_sunday(y, 10) * 86400 + 2 * 3600;
    return local >= start + 3600 && local < end ? local - 3600 : local;
}

/* "AM", "pm", "a.m.", "P.M." at s[*i]: 0 am, 1 pm, -1 neither. */
static int read_am_pm(const char *s, size_t len, size_t *i)
{
    if (*i >= len)
        return -1;
    char c = (char)(s[*i] | 0x20);
    if (c != 'a' && c != 'p')
        return -1;
    size_t k = *i + 1;
    if (k < len && s[k] == '.')
        k++;
    if (k >= len || (s[k] | 0x20) != 'm')
        return -1;
    k++;
    if (k < len && s[k] == '.')
        k++;
    *i = k;
    return c == 'p';
}

bool svp_date_fmt_has_time(const char *fmt)
{
    return strstr(fmt, "%H") || strstr(fmt, "%I");
}

int svp_time_parse_fmt_opt(const char *s, size_t len, const char *fmt,
                           const struct svp_date_opts *o, svp_time *out, struct svp_err *err)
{
    if (!strcmp(fmt, "excel"))
        return parse_excel(s, len, out, err);
    int y = -1, m = -1, d = -1, hh = 0, mi = 0, ss = 0, pm = -1;
    bool two_digit_year = false, twelve = false;
    size_t i = 0;
    for (const char *f = fmt; *f; f++) {
        if (*f == ' ') {
            /* a space matches any run of spaces, or none ("Feb  1 2024  6:30PM" as SQL
             * Server writes it, "6:30 PM" and "6:30PM"); before the hour, a 'T' too */
            if (i < len && s[i] == 'T' && f[1] == '%' && (f[2] == 'H' || f[2] == 'I'))
                i++;
            else
                while (i < len && s[i] == ' ')
                    i++;
            continue;
        }
        if (*f != '%' || f[1] == '%') {
            char want = *f == '%' ? *++f : *f;
            /* 'T' or a space between a date and its time: either will do. */
            bool sep = want == 'T' && f[1] == '%' && (f[2] == 'H' || f[2] == 'I');
            if (i >= len || (s[i] != want && !(sep && s[i] == ' ')))
                return bad_date(err, s, len, "does not match the expected format");
            i++;
            continue;
        }
        char spec = *++f;
        if (spec == 'b' || spec == 'B') {
            if ((m = read_month_name(s, len, &i)) < 0)
                return bad_date(err, s, len, "expected a month name");
            continue;
        }
        if (spec == 'y') {
            if ((y = read_digits(s, len, &i, 2)) < 0)
                return bad_date(err, s, len, "does not match the expected format");
            two_digit_year = true;
            continue;
        }
        if (spec == 'p') {
            if ((pm = read_am_pm(s, len, &i)) < 0)
                return bad_date(err, s, len, "expected AM or PM");
            continue;
        }
        if (spec == 'f') { /* a fraction of a second: read, not kept */
            size_t a = i;
            while (i < len && s[i] >= '0' && s[i] <= '9')
                i++;
            if (i == a)
                return bad_date(err, s, len, "does not match the expected format");
            continue;
        }
        twelve |= spec == 'I';
        int *slot = spec == 'Y' ? &y : spec == 'm' ? &m : spec == 'd' ? &d
                  : spec == 'H' || spec == 'I' ? &hh : spec == 'M' ? &mi : spec == 'S' ? &ss
                                                                         : NULL;
        if (!slot)
            return svp_err_set(err, SVP_EINPUT, "date format '%s' has unknown field %%%c", fmt,
                               spec ? spec : '?');
        int v = read_field(s, len, &i, spec == 'Y');
        if (v < 0)
            return bad_date(err, s, len, "does not match the expected format");
        *slot = v;
        /* a day written as an ordinal, "15th March", when the format does not go on with a
         * letter */
        if (spec == 'd' && i + 2 <= len && !((f[1] | 0x20) >= 'a' && (f[1] | 0x20) <= 'z')) {
            char a = (char)(s[i] | 0x20), b = (char)(s[i + 1] | 0x20);
            if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
                (a == 't' && b == 'h'))
                i += 2;
        }
    }
    if (twelve) {
        /* a 12-hour clock: 12:05 AM is 00:05, 12:05 PM is 12:05 */
        if (hh < 1 || hh > 12)
            return bad_date(err, s, len, "no such hour on a 12-hour clock");
        hh = hh % 12 + (pm == 1 ? 12 : 0);
    } else if (pm == 1 && hh < 12) {
        hh += 12;
    }
    if (i != len)
        return bad_date(err, s, len, "unexpected characters after the date");
    if (y < 0 || m < 0 || d < 0)
        return svp_err_set(err, SVP_EINPUT, "date format '%s' lacks a year, month or day", fmt);
    if (two_digit_year) {
        int end = o && o->century_end > 0 ? o->century_end : 0;
        if (!end) {
            int ty, tm, td;
            svp_date_to_ymd(svp_date_today(), &ty, &tm, &td);
            end = ty;
        }
        y = end - ((end - y) % 100 + 100) % 100;
    }
    svp_day day;
    if (svp_date_from_ymd(y, m, d, &day))
        return bad_date(err, s, len, "no such day in the calendar");
    if (hh > 23 || mi > 59 || ss > 59)
        return bad_date(err, s, len, "no such time of day");
    *out = (svp_time)day * 86400 + hh * 3600 + mi * 60 + ss;
    if (o && o->london)
        *out = svp_london_to_utc(*out);
    return SVP_OK;
}

int svp_time_parse_fmt(const char *s, size_t len, const char *fmt, svp_time *out,
                       struct svp_err *err)
{
    return svp_time_parse_fmt_opt(s, len, fmt, NULL, out, err);
}

svp_day svp_date_today(void)
{
    const char *fixed = getenv("SVP_TODAY");
    svp_day day;
    if (fixed && svp_date_parse_iso(fixed, strlen(fixed), &day, NULL) == SVP_OK)
        return day;
    return (svp_day)(time(NULL) / 86400);
}
