/* Dry runs: a profile tried on an extract (svp profile check PROFILE --data FILE) through the
 * real import, into a private in-memory SQLite database that is thrown away, counting per
 * mapped value what it saw. Nothing is written anywhere. */
#include "ingest_int.h"

#include <string.h>

void ingest_check_free(struct ingest_check_report *r)
{
    if (!r)
        return;
    svp_free(r->fields);
    svp_free(r->rejects);
    memset(r, 0, sizeof *r);
}

static const char *section_label(const struct ingest_section *s, char *buf, size_t cap)
{
    static const char *const kinds[] = {"record", "event", "relationship", "place", "check"};
    snprintf(buf, cap, "%s%s%s", kinds[s->kind], *s->name ? " " : "", s->name);
    return buf;
}

int ingest_check_file(const struct ingest_profile *p, const char *path, int64_t max_rows,
                      const char *as_of, struct ingest_check_report *out, struct svp_err *err)
{
    memset(out, 0, sizeof *out);
    struct store *s = NULL;
    int rc = store_open("sqlite::memory:", STORE_OPEN_CREATE, &s, err);
    if (rc)
        return rc;
    struct store_migration_status ms;
    int64_t *stats = svp_calloc((size_t)p->nspecs * 3 + 1, sizeof *stats);
    int64_t *held = svp_calloc((size_t)p->nsecs + 1, sizeof *held);
    struct svp_buf rej;
    svp_buf_init(&rej, 64u << 20);
    if (!stats || !held) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    if ((rc = store_migrate(s, &ms, err)))
        goto done;
    struct ingest_opts o = {.quiet = true, .as_of = as_of, .max_rows = max_rows,
                            .rejects_out = &rej, .stats = stats, .when_held = held};
    if ((rc = ingest_import_file(s, p, path, &o, &out->res, err)))
        goto done;
    int n = 0;
    for (int i = 0; i < p->nsecs; i++)
        n += p->secs[i].nfields + (p->secs[i].when != NULL);
    out->fields = svp_calloc((size_t)n + 1, sizeof *out->fields);
    if (!out->fields) {
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < p->nsecs; i++) {
        const struct ingest_section *sec = &p->secs[i];
        char label[80];
        section_label(sec, label, sizeof label);
        char *l = svp_arena_strndup(p->arena, label, strlen(label));
        if (!l) {
            rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
            goto done;
        }
        if (sec->when)
            out->fields[out->nfields++] = (struct ingest_check_field){
                l, sec->kind == SEC_CHECK ? "rule" : "when", sec->when_line, held[i], -1, -1,
                true};
        for (int f = 0; f < sec->nfields; f++) {
            const struct ingest_spec *sp = &sec->fields[f].spec;
            struct ingest_check_field *cf = &out->fields[out->nfields++];
            *cf = (struct ingest_check_field){l, sec->fields[f].key, sp->line,
                                              stats[3 * sp->stat_id], -1, -1, false};
            for (int k = 0; k < sp->nsteps; k++) {
                if (sp->steps[k].kind == STEP_DATE || sp->steps[k].kind == STEP_DATETIME)
                    cf->dates_read = stats[3 * sp->stat_id + 1];
                if (sp->steps[k].kind == STEP_LIST)
                    cf->sep_seen = stats[3 * sp->stat_id + 2];
            }
        }
    }
    if (rej.len && !(out->rejects = svp_buf_take(&rej)))
        rc = svp_err_set(err, SVP_ENOMEM, "out of memory");
done:
    svp_buf_free(&rej);
    svp_free(stats);
    svp_free(held);
    store_close(&s);
    if (rc)
        ingest_check_free(out);
    return rc;
}
