/* The Think Family view: a person's household from the tracker's family links, each member's
 * needs from their events (household.h). */
#include "household.h"

#include "store/store.h"

#include <stdlib.h>
#include <string.h>

static void add_member(struct household_view *v, const struct risk_panel *p,
                      const struct risk_family_link *l, int64_t via, int relation,
                      float confidence)
{
    int64_t id = p->persons[l->b].person_id;
    if (id == v->person_id || v->n >= HOUSEHOLD_MAX_MEMBERS)
        return;
    for (size_t i = 0; i < v->n; i++)
        if (v->members[i].person_id == id)
            return; /* the first (direct) link found wins */
    const struct risk_person *rp = &p->persons[l->b];
    struct household_member *m = &v->members[v->n++];
    memset(m, 0, sizeof *m);
    m->person_id = id;
    m->relation = relation;
    m->recorded = l->recorded;
    m->agency = l->agency;
    m->confidence = confidence;
    m->basis = l->basis;
    m->via = via;
    m->age = rp->age;
    m->child = rp->child;
    m->plans = rp->plans;
}

/* Events of one member up to the view's date: what each need's evidence is. */
static int member_needs(struct store *s, struct household_view *v, struct household_member *m,
                        struct svp_err *err)
{
    struct risk_chronology *c = NULL;
    int rc = risk_chronology_load(s, m->person_id, v->unlinked, &c, err);
    if (rc == SVP_ENOTFOUND)
        return SVP_OK; /* a person with no records left: nothing to show */
    if (rc)
        return rc;
    /* the chronology is oldest first: walk it backwards so evidence is newest first */
    for (size_t i = c->n; i-- > 0 && !rc;) {
        const struct risk_chrono_entry *e = &c->entries[i];
        svp_day day;
        struct svp_err ignore;
        if (!e->when || strlen(e->when) < 10 || svp_date_parse_iso(e->when, 10, &day, &ignore) ||
            day > v->as_of)
            continue;
        unsigned needs = risk_event_needs(e->type, e->subtype, NULL);
        for (int k = 0; k < RISK_NEED_COUNT && !rc; k++) {
            if (!(needs & (1u << k)))
                continue;
            struct household_need *n = &m->needs[k];
            n->nevents++;
            if (day > n->latest)
                n->latest = day;
            if (n->nevidence < HOUSEHOLD_EVIDENCE) {
                struct household_evidence *x = &n->evidence[n->nevidence];
                x->event_id = e->event_id;
                x->record_id = e->record_id;
                x->day = day;
                x->agency = svp_arena_strndup(v->arena, e->agency ? e->agency : "",
                                              e->agency ? strlen(e->agency) : 0);
                x->type = svp_arena_strndup(v->arena, e->type, strlen(e->type));
                x->subtype = e->subtype ? svp_arena_strndup(v->arena, e->subtype,
                                                            strlen(e->subtype))
                                        : NULL;
                if (!x->agency || !x->type || (e->subtype && !x->subtype))
                    rc = svp_err_set(err, SVP_ENOMEM, "out of memory reading a household");
                else
                    n->nevidence++;
            }
        }
    }
    risk_chronology_free(&c);
    return rc;
}

static int cmp_member(const void *a, const void *b)
{
    const struct household_member *x = a, *y = b;
    if ((x->via != 0) != (y->via != 0))
        return x->via ? 1 : -1;
    if (x->relation != y->relation)
        return x->relation < y->relation ? -1 : 1;
    return (x->person_id > y->person_id) - (x->person_id < y->person_id);
}

static bool household_relation(int relation)
{
    return relation == RISK_REL_HOUSEHOLD || relation == RISK_REL_PARENT ||
           relation == RISK_REL_SIBLING || relation == RISK_REL_CHILD;
}

int household_members(const struct risk_panel *p, int64_t person_id,
                      struct household_view **out, struct svp_err *err)
{
    *out = NULL;
    const struct risk_person *self = risk_panel_find(p, person_id);
    if (!self)
        return svp_err_set(err, SVP_ENOTFOUND, "person %lld does not exist",
                           (long long)person_id);
    struct household_view *v = svp_calloc(1, sizeof *v);
    if (!v || !(v->arena = svp_arena_new(16384)) ||
        !(v->members = svp_calloc(HOUSEHOLD_MAX_MEMBERS, sizeof *v->members))) {
        household_free(&v);
        return svp_err_set(err, SVP_ENOMEM, "out of memory reading a household");
    }
    v->person_id = person_id;
    v->as_of = p->as_of;
    v->age = self->age;
    v->child = self->child;
    v->plans = self->plans;
    v->unlinked = p->unlinked;

    /* one step out: every family link of the person */
    const struct risk_family_link *fl;
    size_t nf = risk_panel_family(p, person_id, &fl);
    for (size_t i = 0; i < nf; i++)
        add_member(v, p, &fl[i], 0, fl[i].relation, fl[i].confidence);
    /* one more through each of them: a sibling's parent, a parent's other children; what the
     * member is to the person is then read from their ages */
    size_t direct = v->n;
    for (size_t i = 0; i < direct; i++) {
        /* only through a member an agency recorded or who shares the person's address: a
         * family name and postcode is a street's guess, and a guess's guess is not a
         * household (docs/household.md) */
        if (v->members[i].confidence < HOUSEHOLD_STEP_CONFIDENCE)
            continue;
        const struct risk_family_link *gl;
        size_t ng = risk_panel_family(p, v->members[i].person_id, &gl);
        for (size_t j = 0; j < ng; j++) {
            if (!household_relation(gl[j].relation))
                continue;
            const struct risk_person *o = &p->persons[gl[j].b];
            add_member(v, p, &gl[j], v->members[i].person_id,
                       risk_relation_by_age(v->age, o->age),
                       v->members[i].confidence * gl[j].confidence);
        }
    }
    if (v->n > 1)
        qsort(v->members, v->n, sizeof *v->members, cmp_member);
    *out = v;
    return SVP_OK;
}

int household_read_needs(struct store *s, struct household_view *v, struct svp_err *err)
{
    for (size_t i = 0; i < v->n; i++) {
        int rc = member_needs(s, v, &v->members[i], err);
        if (rc)
            return rc;
    }
    return SVP_OK;
}

int household_from_panel(struct store *s, const struct risk_panel *p, int64_t person_id,
                         struct household_view **out, struct svp_err *err)
{
    int rc = household_members(p, person_id, out, err);
    if (!rc && (rc = household_read_needs(s, *out, err)))
        household_free(out);
    return rc;
}

int household_get(struct store *s, const struct risk_weights *w,
                  const struct risk_panel_opts *opts, int64_t person_id,
                  struct household_view **out, struct svp_err *err)
{
    *out = NULL;
    struct risk_panel *p = NULL;
    struct risk_person *rp = NULL;
    int rc = risk_person_score(s, w, opts, person_id, &p, &rp, err);
    if (!rc)
        rc = household_from_panel(s, p, person_id, out, err);
    risk_panel_free(&p);
    return rc;
}

void household_free(struct household_view **v)
{
    if (!v || !*v)
        return;
    svp_arena_free(&(*v)->arena);
    svp_free((*v)->members);
    svp_free(*v);
    *v = NULL;
}

int household_restrict(struct household_view *v, const struct household_viewer *who,
                       struct svp_err *err)
{
    for (size_t i = 0; i < v->n; i++) {
        struct household_member *m = &v->members[i];
        int ok = who->member(who->ctx, m->person_id, err);
        if (ok < 0)
            return ok;
        if (!ok) {
            m->withheld = true;
            memset(m->needs, 0, sizeof m->needs);
            m->plans = 0;
            m->age = -1;
            continue;
        }
        for (int k = 0; k < RISK_NEED_COUNT; k++) {
            struct household_need *n = &m->needs[k];
            size_t kept = 0;
            for (size_t j = 0; j < n->nevidence; j++) {
                const struct household_evidence *x = &n->evidence[j];
                if (who->evidence(who->ctx, m->person_id, x->agency, x->type, x->subtype))
                    n->evidence[kept++] = *x;
            }
            /* counts beyond the evidence kept cannot be checked event by event, so only
             * what was checked is shown when anything was refused */
            if (kept < n->nevidence) {
                n->nevidence = kept;
                n->nevents = kept;
                n->latest = kept ? n->evidence[0].day : 0;
            }
        }
    }
    return SVP_OK;
}

unsigned household_trio(const struct household_view *v)
{
    unsigned trio = 0;
    for (size_t i = 0; i < v->n; i++) {
        const struct household_member *m = &v->members[i];
        if (m->withheld || m->child)
            continue;
        for (int k = RISK_NEED_DA; k <= RISK_NEED_MENTAL; k++)
            if (m->needs[k].nevents)
                trio |= 1u << k;
    }
    return trio;
}

static json_t *day_json(svp_day d)
{
    char buf[16];
    svp_date_format(d, buf, sizeof buf);
    return json_string(buf);
}

static json_t *plans_json(unsigned plans)
{
    char buf[64];
    risk_plans_format(plans, buf, sizeof buf);
    return json_string(buf);
}

static json_t *member_json(const struct household_member *m)
{
    json_t *o = json_object();
    bool bad = !o;
    bad = bad || json_object_set_new(o, "relation", json_string(risk_relation_name(m->relation)));
    bad = bad || json_object_set_new(o, "recorded", json_boolean(m->recorded));
    bad = bad || json_object_set_new(o, "agency", m->recorded ? json_string(risk_agency_name(
                                                                    m->agency))
                                                              : json_null());
    bad = bad || json_object_set_new(o, "basis", json_string(m->basis ? m->basis : ""));
    bad = bad || json_object_set_new(o, "confidence", json_real(m->confidence));
    bad = bad || json_object_set_new(o, "withheld", json_boolean(m->withheld));
    if (m->withheld)
        return bad ? (json_decref(o), NULL) : o;
    bad = bad || json_object_set_new(o, "person_id", json_integer(m->person_id));
    bad = bad || json_object_set_new(o, "via", m->via ? json_integer(m->via) : json_null());
    bad = bad || json_object_set_new(o, "age", m->age >= 0 ? json_integer(m->age) : json_null());
    bad = bad || json_object_set_new(o, "child", json_boolean(m->child));
    bad = bad || json_object_set_new(o, "plans", plans_json(m->plans));
    json_t *needs = json_array();
    bad = bad || !needs || json_object_set_new(o, "needs", needs);
    for (int k = 0; k < RISK_NEED_COUNT && !bad; k++) {
        const struct household_need *n = &m->needs[k];
        if (!n->nevents)
            continue;
        json_t *x = json_object();
        bad = json_array_append_new(needs, x); /* steals x; fails when it is NULL */
        json_t *ev = bad ? NULL : json_array();
        bad = bad || json_object_set_new(x, "evidence", ev);
        bad = bad || json_object_set_new(x, "need", json_string(risk_need_name(k)));
        bad = bad || json_object_set_new(x, "label", json_string(risk_need_label(k)));
        bad = bad || json_object_set_new(x, "events", json_integer((json_int_t)n->nevents));
        bad = bad || json_object_set_new(x, "latest", day_json(n->latest));
        for (size_t j = 0; j < n->nevidence && !bad; j++) {
            const struct household_evidence *e = &n->evidence[j];
            bad = json_array_append_new(
                ev, json_pack("{s:I, s:I, s:o, s:s, s:s, s:s?}", "event_id",
                              (json_int_t)e->event_id, "record_id", (json_int_t)e->record_id,
                              "day", day_json(e->day), "agency", e->agency, "type", e->type,
                              "subtype", e->subtype));
        }
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *household_json(const struct household_view *v)
{
    json_t *o = json_object(), *members = json_array(), *trio = json_array();
    bool bad = !o || !members || !trio;
    bad = bad || json_object_set_new(o, "person_id", json_integer(v->person_id));
    bad = bad || json_object_set_new(o, "as_of", day_json(v->as_of));
    bad = bad || json_object_set_new(o, "age", v->age >= 0 ? json_integer(v->age) : json_null());
    bad = bad || json_object_set_new(o, "child", json_boolean(v->child));
    bad = bad || json_object_set_new(o, "plans", plans_json(v->plans));
    bad = bad || json_object_set_new(o, "persons_are_records", json_boolean(v->unlinked));
    unsigned t = household_trio(v);
    for (int k = RISK_NEED_DA; k <= RISK_NEED_MENTAL && !bad; k++)
        if (t & (1u << k))
            bad = json_array_append_new(trio, json_string(risk_need_name(k)));
    bad = bad || json_object_set(o, "toxic_trio", trio);
    for (size_t i = 0; i < v->n && !bad; i++) {
        json_t *m = member_json(&v->members[i]);
        bad = !m || json_array_append_new(members, m);
    }
    bad = bad || json_object_set(o, "members", members);
    json_decref(members);
    json_decref(trio);
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}
