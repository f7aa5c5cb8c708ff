/* Extracts saved as Excel workbooks (.xlsx): one sheet read into CSV text, so that a
 * workbook goes through the same profile, checks and rejects as the CSV its system could
 * have written. The workbook is a zip of XML parts (ECMA-376, SpreadsheetML): libzip opens
 * it, libxml2's streaming reader reads the parts. Cells are written as the workbook holds
 * them: text (shared or inline strings) as text, numbers as written (a date is Excel's
 * serial day number unless the cell holds text: `date excel` reads it), booleans 1 and 0,
 * errors as their text (#N/A). Each sheet row is the CSV line of its number (rows with no
 * data are blank lines, which import skips), so a reject's line is the row Excel shows; a
 * missing cell is an empty value. */
#include "ingest_int.h"

#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define XLSX_MAX_PART ((zip_uint64_t)512 << 20) /* uncompressed bytes of one part */
#define XLSX_MAX_STRINGS 20000000
#define XLSX_MAX_COLS 16384 /* Excel's own limit, XFD */
#define XLSX_MAX_ROWS 1048576 /* Excel's own limit */

bool ingest_is_xlsx(const char *data, size_t len)
{
    return len >= 4 && !memcmp(data, "PK\x03\x04", 4);
}

struct part {
    char *data;
    size_t len;
};

/* One part of the workbook, whole, or found false when it is absent. */
static int read_part(zip_t *z, const char *name, struct part *out, bool *found,
                     struct svp_err *err)
{
    out->data = NULL;
    out->len = 0;
    *found = false;
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) || !(st.valid & ZIP_STAT_SIZE))
        return SVP_OK;
    if (st.size > XLSX_MAX_PART)
        return svp_err_set(err, SVP_EINPUT, "the workbook's part %s is larger than %llu MiB",
                           name, (unsigned long long)(XLSX_MAX_PART >> 20));
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return svp_err_set(err, SVP_EINPUT, "the workbook's part %s cannot be read: %s", name,
                           zip_strerror(z));
    out->data = svp_malloc((size_t)st.size + 1);
    if (!out->data) {
        zip_fclose(f);
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    zip_int64_t n = zip_fread(f, out->data, st.size);
    zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        svp_free(out->data);
        out->data = NULL;
        return svp_err_set(err, SVP_EINPUT, "the workbook's part %s is damaged", name);
    }
    out->data[st.size] = '\0';
    out->len = (size_t)st.size;
    *found = true;
    return SVP_OK;
}

static xmlTextReaderPtr reader_for(const struct part *p)
{
    /* no network; entities are not substituted nor DTDs loaded (libxml2's defaults) */
    return xmlReaderForMemory(p->data, (int)p->len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
}

static bool is_el(xmlTextReaderPtr r, const char *name, int type)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return xmlTextReaderNodeType(r) == type && n && !strcmp((const char *)n, name);
}

/* The sheet's part name: the sheet named `sheet` (NULL: the first) through the workbook's
 * relationships. */
static int sheet_part(zip_t *z, const char *sheet, char *out, size_t cap, struct svp_err *err)
{
    struct part wb, rels;
    bool found;
    int rc = read_part(z, "xl/workbook.xml", &wb, &found, err);
    if (rc)
        return rc;
    if (!found)
        return svp_err_set(err, SVP_EINPUT, "not an Excel workbook (no xl/workbook.xml)");
    char rid[128] = "";
    bool named = false;
    xmlTextReaderPtr r = reader_for(&wb);
    int k;
    while (r && !rid[0] && (k = xmlTextReaderRead(r)) == 1) {
        if (!is_el(r, "sheet", XML_READER_TYPE_ELEMENT))
            continue;
        xmlChar *name = xmlTextReaderGetAttribute(r, BAD_CAST "name");
        xmlChar *id = xmlTextReaderGetAttributeNs(
            r, BAD_CAST "id",
            BAD_CAST "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
        if (id && (!sheet || (name && !strcmp((const char *)name, sheet)))) {
            svp_strlcpy(rid, (const char *)id, sizeof rid);
            named = true;
        }
        xmlFree(name);
        xmlFree(id);
    }
    xmlFreeTextReader(r);
    svp_free(wb.data);
    if (!named)
        return svp_err_set(err, SVP_EINPUT, sheet ? "the workbook has no sheet named '%.60s'"
                                                  : "the workbook has no sheet%.0s",
                           sheet ? sheet : "");
    if ((rc = read_part(z, "xl/_rels/workbook.xml.rels", &rels, &found, err)))
        return rc;
    out[0] = '\0';
    r = found ? reader_for(&rels) : NULL;
    while (r && !out[0] && xmlTextReaderRead(r) == 1) {
        if (!is_el(r, "Relationship", XML_READER_TYPE_ELEMENT))
            continue;
        xmlChar *id = xmlTextReaderGetAttribute(r, BAD_CAST "Id");
        xmlChar *target = xmlTextReaderGetAttribute(r, BAD_CAST "Target");
        if (id && target && !strcmp((const char *)id, rid)) {
            const char *t = (const char *)target;
            if (t[0] == '/')
                snprintf(out, cap, "%s", t + 1); /* absolute within the package */
            else
                snprintf(out, cap, "xl/%s", t);
        }
        xmlFree(id);
        xmlFree(target);
    }
    xmlFreeTextReader(r);
    svp_free(rels.data);
    if (!out[0])
        return svp_err_set(err, SVP_EINPUT, "the workbook does not say where its sheet is");
    return SVP_OK;
}

struct strings {
    char **v;
    size_t n, cap;
};

static void strings_free(struct strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        svp_free(s->v[i]);
    svp_free(s->v);
}

/* The text of the element the reader is on, up to its end: every <t> inside it but those
 * of phonetic runs (<rPh>), appended to b. */
static int text_of(xmlTextReaderPtr r, const char *end, struct svp_buf *b)
{
    if (xmlTextReaderIsEmptyElement(r))
        return SVP_OK;
    int depth = xmlTextReaderDepth(r), in_t = 0, in_ph = 0;
    while (xmlTextReaderRead(r) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth &&
            is_el(r, end, type))
            return SVP_OK;
        if (is_el(r, "rPh", XML_READER_TYPE_ELEMENT) && !xmlTextReaderIsEmptyElement(r))
            in_ph++;
        else if (is_el(r, "rPh", XML_READER_TYPE_END_ELEMENT))
            in_ph--;
        else if (is_el(r, "t", XML_READER_TYPE_ELEMENT) && !xmlTextReaderIsEmptyElement(r))
            in_t++;
        else if (is_el(r, "t", XML_READER_TYPE_END_ELEMENT))
            in_t--;
        else if ((type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                  type == XML_READER_TYPE_CDATA) &&
                 in_t > 0 && in_ph == 0) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            if (v && svp_buf_puts(b, (const char *)v))
                return SVP_ENOMEM;
        }
    }
    return SVP_EINPUT;
}

static int read_strings(zip_t *z, struct strings *s, struct svp_err *err)
{
    struct part p;
    bool found;
    int rc = read_part(z, "xl/sharedStrings.xml", &p, &found, err);
    if (rc || !found)
        return rc;
    xmlTextReaderPtr r = reader_for(&p);
    struct svp_buf b;
    svp_buf_init(&b, 1u << 20);
    while (!rc && r && xmlTextReaderRead(r) == 1) {
        if (!is_el(r, "si", XML_READER_TYPE_ELEMENT))
            continue;
        b.len = 0;
        if ((rc = text_of(r, "si", &b)) == SVP_ENOMEM)
            break;
        rc = SVP_OK;
        if (s->n == XLSX_MAX_STRINGS) {
            rc = svp_err_set(err, SVP_EINPUT, "the workbook holds more than %d strings",
                             XLSX_MAX_STRINGS);
            break;
        }
        if (s->n == s->cap) {
            size_t nc = s->cap ? s->cap * 2 : 1024;
            char **nv = svp_realloc(s->v, nc * sizeof *nv);
            if (!nv) {
                rc = SVP_ENOMEM;
                break;
            }
            s->v = nv;
            s->cap = nc;
        }
        if (!(s->v[s->n] = svp_strndup(b.data ? b.data : "", b.len))) {
            rc = SVP_ENOMEM;
            break;
        }
        s->n++;
    }
    svp_buf_free(&b);
    xmlFreeTextReader(r);
    svp_free(p.data);
    if (rc == SVP_ENOMEM)
        return svp_err_set(err, SVP_ENOMEM, "out of memory");
    return rc;
}

/* A cell reference's column (A1 -> 0, AB7 -> 27), or -1. */
static int col_of(const char *ref)
{
    int c = 0, n = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++, n++)
        c = c * 26 + (*ref - 'A' + 1);
    return n && n <= 3 && c <= XLSX_MAX_COLS ? c - 1 : -1;
}

static int put_field(struct svp_buf *out, const char *v, size_t n, char delim)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = v[i] == delim || v[i] == '"' || v[i] == '\n' || v[i] == '\r';
    if (!quote)
        return n ? svp_buf_append(out, v, n) : SVP_OK;
    int rc = svp_buf_putc(out, '"');
    for (size_t i = 0; !rc && i < n; i++)
        rc = v[i] == '"' ? svp_buf_append(out, "\"\"", 2) : svp_buf_putc(out, v[i]);
    return rc ? rc : svp_buf_putc(out, '"');
}

struct cell {
    int col;
    size_t at, len; /* in the row's text buffer */
};

/* One row's cells, in column order as written, into CSV: missing cells empty, at least
 * width fields. */
static int put_row(struct svp_buf *out, const struct cell *cells, size_t n, const char *text,
                   int width, char delim)
{
    int last = width - 1;
    for (size_t i = 0; i < n; i++)
        if (cells[i].col > last)
            last = cells[i].col;
    int rc = SVP_OK;
    size_t k = 0;
    for (int c = 0; !rc && c <= last; c++) {
        if (c)
            rc = svp_buf_putc(out, delim);
        while (k < n && cells[k].col < c)
            k++;
        if (!rc && k < n && cells[k].col == c)
            rc = put_field(out, text + cells[k].at, cells[k].len, delim);
    }
    return rc ? rc : svp_buf_putc(out, '\n');
}

static int read_sheet(zip_t *z, const char *name, const struct strings *s, char delim,
                      struct svp_buf *out, struct svp_err *err)
{
    struct part p;
    bool found;
    int rc = read_part(z, name, &p, &found, err);
    if (rc)
        return rc;
    if (!found)
        return svp_err_set(err, SVP_EINPUT, "the workbook's sheet %s is missing", name);
    xmlTextReaderPtr r = reader_for(&p);
    struct svp_buf rowtext, v;
    svp_buf_init(&rowtext, 256u << 20);
    svp_buf_init(&v, 64u << 20);
    struct cell *cells = NULL;
    size_t ncells = 0, capcells = 0;
    int width = 0, next_col = 0;
    bool in_row = false, first_row = true;
    long row_no = 0, lines_out = 0; /* the sheet's row; the CSV lines written */
    while (!rc && r) {
        int k = xmlTextReaderRead(r);
        if (k != 1) {
            if (k < 0)
                rc = svp_err_set(err, SVP_EINPUT, "the workbook's sheet is not well-formed XML");
            break;
        }
        if (is_el(r, "row", XML_READER_TYPE_ELEMENT)) {
            in_row = true;
            ncells = 0;
            rowtext.len = 0;
            next_col = 0;
            /* its number (r="N", from 1), else the one after the last */
            xmlChar *num = xmlTextReaderGetAttribute(r, BAD_CAST "r");
            long at = num ? strtol((const char *)num, NULL, 10) : 0;
            xmlFree(num);
            row_no = at > row_no && at <= XLSX_MAX_ROWS ? at : row_no + 1;
            if (xmlTextReaderIsEmptyElement(r))
                in_row = false; /* a row of no cells holds no data */
            continue;
        }
        if (in_row && is_el(r, "row", XML_READER_TYPE_END_ELEMENT)) {
            in_row = false;
            if (!ncells)
                continue;
            for (; !rc && lines_out < row_no - 1; lines_out++)
                rc = svp_buf_putc(out, '\n'); /* rows with no data: blank lines */
            lines_out++;
            if (rc) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            if (first_row) {
                width = cells[ncells - 1].col + 1;
                first_row = false;
            }
            if ((rc = put_row(out, cells, ncells, rowtext.data, width, delim)))
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            continue;
        }
        if (!in_row || !is_el(r, "c", XML_READER_TYPE_ELEMENT))
            continue;
        xmlChar *ref = xmlTextReaderGetAttribute(r, BAD_CAST "r");
        xmlChar *t = xmlTextReaderGetAttribute(r, BAD_CAST "t");
        int col = ref ? col_of((const char *)ref) : next_col;
        char type[16] = "n";
        if (t)
            svp_strlcpy(type, (const char *)t, sizeof type);
        xmlFree(ref);
        xmlFree(t);
        if (col < 0 || col < next_col) {
            rc = svp_err_set(err, SVP_EINPUT, "a cell of the workbook's sheet has a bad "
                                              "reference or is out of order");
            break;
        }
        next_col = col + 1;
        v.len = 0;
        if (!xmlTextReaderIsEmptyElement(r)) {
            /* the cell's value: <v> (a number, a shared string's index, a formula's text,
             * a boolean, an error) or <is> (an inline string) */
            int depth = xmlTextReaderDepth(r);
            while (!rc && xmlTextReaderRead(r) == 1) {
                int nt = xmlTextReaderNodeType(r);
                if (nt == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth)
                    break;
                if (is_el(r, "v", XML_READER_TYPE_ELEMENT) && !xmlTextReaderIsEmptyElement(r)) {
                    xmlChar *x = xmlTextReaderReadString(r);
                    if (x && svp_buf_puts(&v, (const char *)x))
                        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                    xmlFree(x);
                } else if (is_el(r, "is", XML_READER_TYPE_ELEMENT)) {
                    if (text_of(r, "is", &v) == SVP_ENOMEM)
                        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                }
            }
        }
        if (rc)
            break;
        const char *val = v.data ? v.data : "";
        size_t vlen = v.len;
        if (!strcmp(type, "s")) {
            int64_t i = -1;
            char tmp[24];
            svp_strlcpy(tmp, val, vlen + 1 < sizeof tmp ? vlen + 1 : sizeof tmp);
            if (svp_parse_i64(tmp, &i) || i < 0 || (size_t)i >= s->n) {
                rc = svp_err_set(err, SVP_EINPUT, "a cell of the workbook's sheet names a "
                                                  "string the workbook does not hold");
                break;
            }
            val = s->v[i];
            vlen = strlen(val);
        } else if (!strcmp(type, "b")) {
            val = vlen && val[0] == '1' ? "1" : "0";
            vlen = 1;
        }
        if (!vlen)
            continue;
        if (ncells == capcells) {
            size_t nc = capcells ? capcells * 2 : 64;
            struct cell *ncs = svp_realloc(cells, nc * sizeof *ncs);
            if (!ncs) {
                rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
                break;
            }
            cells = ncs;
            capcells = nc;
        }
        cells[ncells++] = (struct cell){col, rowtext.len, vlen};
        if (svp_buf_append(&rowtext, val, vlen))
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    }
    if (!r && !rc)
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
    xmlFreeTextReader(r);
    svp_buf_free(&rowtext);
    svp_buf_free(&v);
    svp_free(cells);
    svp_free(p.data);
    return rc;
}

int ingest_xlsx_to_csv(const char *data, size_t len, const char *sheet, char delim, char **out,
                       size_t *out_len, struct svp_err *err)
{
    *out = NULL;
    *out_len = 0;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        int rc = svp_err_set(err, SVP_EINPUT, "not a readable Excel workbook: %s",
                             zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_error_fini(&ze);
    struct strings s = {0};
    struct svp_buf csv;
    svp_buf_init(&csv, (size_t)1 << 31);
    char name[512];
    int rc = sheet_part(z, sheet, name, sizeof name, err);
    if (!rc)
        rc = read_strings(z, &s, err);
    if (!rc)
        rc = read_sheet(z, name, &s, delim ? delim : ',', &csv, err);
    strings_free(&s);
    zip_discard(z);
    if (!rc && !csv.len)
        rc = svp_err_set(err, SVP_EINPUT, "the workbook's sheet holds no rows");
    if (rc) {
        svp_buf_free(&csv);
        return rc;
    }
    *out = csv.data;
    *out_len = csv.len;
    return SVP_OK;
}
