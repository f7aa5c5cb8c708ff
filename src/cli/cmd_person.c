/* `svp person ID`: one person's score with its reasons and the multi-agency chronology.
 * The risk room computes; this file prints. */
#include "base/json.h"
#include "cli.h"
#include "access/access.h"
#include "risk/risk.h"

#include <stdlib.h>
#include <string.h>

static const char person_help[] =
    "usage: svp person ID [--format table|json] [--as-of DATE|latest] [--weights FILE]\n"
    "                    [--unlinked]\n"
    "       svp person export ID --reason TEXT [--record] [--out FILE]\n"
    "\n"
    "Prints person ID's Vulnerability Tracker score and band with every reason and\n"
    "the source record behind it, then the multi-agency chronology: every event from every\n"
    "agency on one timeline with its source (agency, file, line, agency record id).\n"
    "The score is worked out from the person's neighbourhood alone (everyone within two\n"
    "links), the same score the panel gives; 'svp panel' gives the rank.\n"
    "ID is a person id from 'svp panel' (a record id with --unlinked).\n"
    "'svp person export' writes everything held about a person as JSON (subject access;\n"
    "see 'svp person export --help').\n";

static const char *or_dash(const char *s)
{
    return s && *s ? s : "-";
}

static int print_text(struct risk_panel *p, const struct risk_person *rp,
                      const struct risk_chronology *c)
{
    char as_of[16];
    svp_date_format(p->as_of, as_of, sizeof as_of);
    printf("person %lld%s\n", (long long)c->person_id,
           p->unlinked ? " (an agency record: 'svp link' has not run)" : "");
    if (rp) {
        printf("age %s%d, sex %s, ethnicity %s, area %s\n", rp->age < 0 ? "unknown " : "",
               rp->age < 0 ? 0 : rp->age, or_dash(rp->sex), or_dash(rp->ethnicity),
               or_dash(rp->area));
        if (rp->status == RISK_SCORED && rp->rank > 0)
            printf("score %.1f, band %s, rank %d of %zu scored children (as of %s)\n", rp->score,
                   risk_band_name(rp->band), rp->rank, p->nscored, as_of);
        else if (rp->status == RISK_SCORED)
            printf("score %.1f, band %s (as of %s; 'svp panel' ranks every child)\n", rp->score,
                   risk_band_name(rp->band), as_of);
        else
            printf("%s (as of %s)\n", risk_status_text(rp->status), as_of);
    }
    printf("\nrecords (%zu):\n", c->nrecords);
    for (size_t i = 0; i < c->nrecords; i++) {
        const struct risk_chrono_record *r = &c->records[i];
        printf("  record %lld: %s %s id %s (%s:%lld)\n", (long long)r->record_id,
               or_dash(r->agency), or_dash(r->source), or_dash(r->agency_record_id),
               or_dash(r->file), (long long)r->line);
    }
    if (rp && rp->status == RISK_SCORED) {
        printf("\nreasons (%zu, points as of %s):\n", rp->nreasons, as_of);
        for (size_t i = 0; i < rp->nreasons; i++) {
            const struct risk_reason *r = &rp->reasons[i];
            char day[16];
            svp_date_format(r->day, day, sizeof day);
            printf("  %6.2f  %s  %-32s %-9s record %lld", r->points, day,
                   risk_indicator_name(r->indicator), risk_agency_name(r->agency),
                   (long long)r->record_id);
            if (r->event_id)
                printf(" event %lld", (long long)r->event_id);
            if (r->relationship_id)
                printf(" relationship %lld", (long long)r->relationship_id);
            if (r->other_person_id)
                printf(" with person %lld", (long long)r->other_person_id);
            putchar('\n');
        }
    }
    if (rp && rp->care_flag)
        printf("\ncare-quality flag: went missing %d times from care, %d placement moves; "
               "these care signals count no more than the exploitation signals beside them\n",
               rp->care_missing, rp->care_moves);
    const struct risk_family_link *fl;
    size_t nf = risk_panel_family(p, c->person_id, &fl);
    printf("\nfamily and household (%zu):\n", nf);
    for (size_t i = 0; i < nf; i++)
        printf("  person %lld: %s, %s%s%s (confidence %.2f)\n",
               (long long)p->persons[fl[i].b].person_id, risk_relation_name(fl[i].relation),
               fl[i].basis, fl[i].recorded ? " by " : "",
               fl[i].recorded ? risk_agency_name(fl[i].agency) : "", fl[i].confidence);
    printf("\nchronology (%zu events):\n", c->n);
    for (size_t i = 0; i < c->n; i++) {
        const struct risk_chrono_entry *e = &c->entries[i];
        printf("  %-20s %-9s %-22s %-16s %s:%lld (%s id %s, event %s)", or_dash(e->when),
               or_dash(e->agency), or_dash(e->type), or_dash(e->subtype), or_dash(e->file),
               (long long)e->line, or_dash(e->source), or_dash(e->agency_record_id),
               or_dash(e->agency_event_id));
        if (e->detail && *e->detail && strcmp(e->detail, "{}"))
            printf(" %s", e->detail);
        putchar('\n');
    }
    return 0;
}

static int print_json(struct risk_panel *p, const struct risk_person *rp,
                      const struct risk_chronology *c)
{
    json_t *o = json_object(), *recs = json_array(), *events = json_array();
    json_object_set_new(o, "person_id", json_integer(c->person_id));
    json_object_set_new(o, "persons_are_records", json_boolean(p->unlinked));
    if (rp) {
        json_object_set_new(o, "status", json_string(risk_status_text(rp->status)));
        json_object_set_new(o, "age", rp->age >= 0 ? json_integer(rp->age) : json_null());
        json_object_set_new(o, "area", json_string(rp->area));
        if (rp->status == RISK_SCORED) {
            /* the panel's own JSON for this person: same numbers, same reasons */
            struct risk_person *one = (struct risk_person *)rp;
            struct risk_panel view = *p;
            view.list = &one;
            view.nlist = 1;
            view.nleft = 0;
            json_t *pj = risk_panel_json(&view, 0);
            json_t *entry = pj ? json_array_get(json_object_get(pj, "list"), 0) : NULL;
            if (entry)
                json_object_set(o, "score", entry);
            json_decref(pj);
        }
    }
    if (rp) {
        json_object_set_new(o, "care_flag", json_boolean(rp->care_flag));
        json_object_set_new(o, "care_missing", json_integer(rp->care_missing));
        json_object_set_new(o, "care_moves", json_integer(rp->care_moves));
    }
    const struct risk_family_link *fl;
    size_t nf = risk_panel_family(p, c->person_id, &fl);
    json_t *fam = json_array();
    for (size_t i = 0; i < nf; i++) {
        json_t *x = json_object();
        json_object_set_new(x, "person_id", json_integer(p->persons[fl[i].b].person_id));
        json_object_set_new(x, "relation", json_string(risk_relation_name(fl[i].relation)));
        json_object_set_new(x, "recorded", json_boolean(fl[i].recorded));
        json_object_set_new(x, "agency", fl[i].recorded ? json_string(risk_agency_name(
                                                              fl[i].agency))
                                                        : json_null());
        json_object_set_new(x, "basis", json_string(fl[i].basis));
        json_object_set_new(x, "confidence", json_real(fl[i].confidence));
        json_array_append_new(fam, x);
    }
    json_object_set_new(o, "family", fam);
    for (size_t i = 0; i < c->nrecords; i++) {
        const struct risk_chrono_record *r = &c->records[i];
        json_t *x = json_object();
        json_object_set_new(x, "record_id", json_integer(r->record_id));
        json_object_set_new(x, "agency", json_string(or_dash(r->agency)));
        json_object_set_new(x, "source", json_string(or_dash(r->source)));
        json_object_set_new(x, "agency_record_id", json_string(or_dash(r->agency_record_id)));
        json_object_set_new(x, "file", r->file ? json_string(r->file) : json_null());
        json_object_set_new(x, "line", json_integer(r->line));
        json_array_append_new(recs, x);
    }
    for (size_t i = 0; i < c->n; i++) {
        const struct risk_chrono_entry *e = &c->entries[i];
        json_t *x = json_object();
        json_object_set_new(x, "when", json_string(or_dash(e->when)));
        json_object_set_new(x, "agency", json_string(or_dash(e->agency)));
        json_object_set_new(x, "type", json_string(or_dash(e->type)));
        json_object_set_new(x, "subtype", e->subtype ? json_string(e->subtype) : json_null());
        json_t *d = e->detail ? json_loads(e->detail, 0, NULL) : NULL;
        json_object_set_new(x, "detail", d ? d : json_null());
        json_object_set_new(x, "event_id", json_integer(e->event_id));
        json_object_set_new(x, "record_id", json_integer(e->record_id));
        json_object_set_new(x, "source", json_string(or_dash(e->source)));
        json_object_set_new(x, "file", e->file ? json_string(e->file) : json_null());
        json_object_set_new(x, "line", json_integer(e->line));
        json_object_set_new(x, "agency_record_id", json_string(or_dash(e->agency_record_id)));
        json_object_set_new(x, "agency_event_id", json_string(or_dash(e->agency_event_id)));
        json_array_append_new(events, x);
    }
    json_object_set_new(o, "records", recs);
    json_object_set_new(o, "chronology", events);
    char *s = svp_json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!s)
        return 3;
    puts(s);
    free(s);
    return 0;
}

static const char export_help[] =
    "usage: svp person export ID --reason TEXT [--record] [--out FILE]\n"
    "\n"
    "Writes everything svp holds about person ID as JSON, for a subject access request:\n"
    "every record (earlier versions too), event, relationship, place, link decision and\n"
    "candidate, share, saved panel entry and break-glass use, each as stored with its source\n"
    "(source, agency, source_file, line), and every audited view, list, export and refusal\n"
    "that named them (seen_by). --reason (10+ characters, e.g. the request's reference) is\n"
    "recorded; the export is audited before it is written. --record: ID is an unlinked\n"
    "record. --out FILE: write there (else standard output).\n";

static int person_export(int argc, char **argv, struct cli_ctx *ctx)
{
    const char *reason = NULL, *outp = NULL, *pos[1];
    bool record = false;
    const struct cli_opt opts[] = {
        {"reason", &reason, NULL}, {"out", &outp, NULL}, {"record", NULL, &record},
        {NULL, NULL, NULL},
    };
    int npos;
    struct svp_err err;
    int go = cli_begin("person export", export_help, argc - 1, argv + 1, opts, ctx, pos, 1,
                       &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    int64_t id;
    if (npos != 1 || svp_parse_i64(pos[0], &id) || id < 1)
        return cli_usage_error("person export", "expected one person id (a whole number)");
    if (!reason)
        return cli_usage_error("person export",
                               "--reason is required (e.g. the subject access request's reference)");
    struct store *s = NULL;
    if (cli_open_db(ctx, false, &s, &err))
        return cli_fail(&err);
    char *text = NULL;
    int rc = access_subject_export(s, NULL, record ? 'R' : 'P', id, reason, &text, &err);
    store_close(&s);
    if (rc)
        return cli_fail(&err);
    FILE *f = outp ? fopen(outp, "w") : stdout;
    bool ok = f && fputs(text, f) >= 0;
    if (f && f != stdout)
        ok = !fclose(f) && ok;
    svp_free(text);
    if (!ok) {
        svp_err_at(&err, SVP_EIO, outp ? outp : "stdout", 0, NULL, "cannot write the export");
        return cli_fail(&err);
    }
    return 0;
}

int cmd_person(int argc, char **argv, struct cli_ctx *ctx)
{
    if (argc > 1 && !strcmp(argv[1], "export"))
        return person_export(argc, argv, ctx);
    const char *format = NULL, *as_of = NULL, *weights = NULL;
    bool unlinked = false;
    const struct cli_opt opts[] = {
        {"format", &format, NULL},   {"as-of", &as_of, NULL},
        {"weights", &weights, NULL}, {"unlinked", NULL, &unlinked},
        {NULL, NULL, NULL},
    };
    const char *pos[1];
    int npos;
    struct svp_err err;
    int go = cli_begin("person", person_help, argc, argv, opts, ctx, pos, 1, &npos, &err);
    if (go != CLI_CONTINUE)
        return go;
    int64_t id;
    if (npos != 1 || svp_parse_i64(pos[0], &id) || id < 1)
        return cli_usage_error("person", "expected one person id (a whole number)");
    if (format && strcmp(format, "table") && strcmp(format, "json"))
        return cli_usage_error("person", "--format must be table or json");
    struct risk_weights w;
    struct risk_panel_opts o = {.unlinked = unlinked, .no_previous = true};
    struct store *s = NULL;
    if ((go = cli_risk_begin("person", ctx, as_of, weights, NULL, &w, &o, &s)) != CLI_CONTINUE)
        return go;
    struct risk_chronology *c = NULL;
    struct risk_panel *p = NULL;
    struct risk_person *rp = NULL;
    /* one person's score from their neighbourhood, not the whole panel */
    if (risk_chronology_load(s, id, unlinked, &c, &err) ||
        risk_person_score(s, &w, &o, id, &p, &rp, &err)) {
        risk_chronology_free(&c);
        store_close(&s);
        return cli_fail(&err);
    }
    int code = format && !strcmp(format, "json") ? print_json(p, rp, c) : print_text(p, rp, c);
    risk_panel_free(&p);
    risk_chronology_free(&c);
    store_close(&s);
    return code;
}
