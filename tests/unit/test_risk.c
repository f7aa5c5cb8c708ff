/* The risk room: weights file, each indicator, decay and bands, two-pass scoring,
 * traceability of every point, no-score cases, saved panels, fairness and chronology.
 * Store-backed tests run on SQLite and PostgreSQL. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk.h"

/* ------------------------------------------------------------------ weights file */

static void test_default_weights_load(void **state)
{
    (void)state;
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    for (int i = 0; i < RISK_INDICATOR_COUNT; i++) {
        assert_true(w.ind[i].cap >= 1);
        /* found with family or a carer is shown, never scored (docs/indicators.md) */
        if (i == RISK_MISSING_FOUND_WITH_FAMILY || i == RISK_MISSING_FOUND_WITH_CARER)
            assert_true(w.ind[i].weight == 0);
        else
            assert_true(w.ind[i].weight > 0);
        assert_int_equal(risk_indicator_find(risk_indicator_name(i)), i);
    }
    assert_true(w.band_high > w.band_medium);
    assert_int_equal(w.age_min, 10);
    assert_int_equal(w.age_max, 18);
}

/* The shipped file with one line replaced (or removed when repl is ""); returns owned. */
static char *edited_weights(const char *indicator, const char *repl)
{
    const struct svp_embedded *e = svp_data_find("risk-weights.csv");
    assert_non_null(e);
    struct svp_buf b;
    svp_buf_init(&b, 1 << 20);
    const char *p = e->data;
    size_t plen = strlen(indicator);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);
        if (!strncmp(p, indicator, plen) && p[plen] == ',') {
            if (*repl)
                assert_int_equal(svp_buf_printf(&b, "%s\n", repl), 0);
        } else {
            assert_int_equal(svp_buf_append(&b, p, len), 0);
        }
        p += len;
    }
    return svp_buf_take(&b);
}

/* Line number of the row for indicator in the shipped file. */
static long line_of(const char *indicator)
{
    const struct svp_embedded *e = svp_data_find("risk-weights.csv");
    long line = 1;
    size_t plen = strlen(indicator);
    for (const char *p = e->data; *p; line++) {
        if (!strncmp(p, indicator, plen) && p[plen] == ',')
            return line;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return -1;
}

static void expect_refused(const char *indicator, const char *repl, const char *msg, long line)
{
    char *text = edited_weights(indicator, repl);
    struct risk_weights w;
    struct svp_err err;
    int rc = risk_weights_parse(text, strlen(text), "w.csv", &w, &err);
    assert_int_equal(rc, SVP_EINPUT);
    if (!strstr(err.msg, msg))
        fail_msg("message '%s' lacks '%s'", err.msg, msg);
    assert_string_equal(err.file, "w.csv");
    assert_int_equal(err.line, line);
    svp_free(text);
}

static void test_weights_errors_name_the_line(void **state)
{
    (void)state;
    long l = line_of("ed_injury");
    assert_true(l > 1);
    expect_refused("ed_injury", "ed_injurry,3,365,5,typo", "unknown indicator 'ed_injurry'", l);
    expect_refused("ed_injury", "ed_injury,3,-30,5,x", "negative", l);
    expect_refused("ed_injury", "ed_injury,,365,5,x", "has no weight", l);
    expect_refused("ed_injury", "ed_injury,-2,365,5,x", "at least 0", l);
    expect_refused("ed_injury", "ed_injury,3,365,0,x", "cap of 'ed_injury'", l);
    expect_refused("ed_injury", "ed_injury,3,abc,5,x", "half-life of 'ed_injury'", l);
    /* a missing row names the indicator (there is no line to name) */
    expect_refused("ed_injury", "", "no row for indicator 'ed_injury'", 0);
    expect_refused("band_high", "band_high,-1,,,x", "setting 'band_high'", line_of("band_high"));
    expect_refused("age_min", "age_min,12,30,,x", "takes only the weight column",
                   line_of("age_min"));
    /* a duplicate row names both lines */
    char *text = edited_weights("ed_injury", "ed_injury,3,365,5,x\ned_injury,4,365,5,y");
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_parse(text, strlen(text), "w.csv", &w, &err), SVP_EINPUT);
    assert_int_equal(err.line, l + 1);
    assert_non_null(strstr(err.msg, "twice"));
    svp_free(text);
    /* an override is read */
    text = edited_weights("ed_injury", "ed_injury,7.5,100,2,changed");
    assert_int_equal(risk_weights_parse(text, strlen(text), "w.csv", &w, &err), 0);
    assert_true(fabs(w.ind[RISK_ED_INJURY].weight - 7.5) < 1e-9);
    assert_int_equal(w.ind[RISK_ED_INJURY].cap, 2);
    svp_free(text);
    assert_int_equal(risk_weights_parse("", 0, "e.csv", &w, &err), SVP_EINPUT);
    assert_int_equal(risk_weights_load("/nonexistent/w.csv", &w, &err), SVP_EIO);
}

/* ------------------------------------------------------------------ classification */

struct ccase {
    const char *type, *subtype, *detail;
    int want[4]; /* -1 terminated */
};

static void test_classify_each_indicator(void **state)
{
    (void)state;
    static const struct ccase cases[] = {
        {"missing_episode", "missing", "{}", {RISK_MISSING_EPISODE, -1}},
        {"missing_episode", "missing", "{\"risk_level\":\"high\"}",
         {RISK_MISSING_EPISODE, RISK_MISSING_HIGH_RISK, -1}},
        {"missing_episode", "absent", "{\"looked_after\":1}",
         {RISK_MISSING_EPISODE, RISK_MISSING_FROM_CARE, -1}},
        {"missing_episode", "missing", "{\"missing_from\":\"care_placement\"}",
         {RISK_MISSING_EPISODE, RISK_MISSING_FROM_CARE, -1}},
        {"missing_episode", "missing", "{\"missing_from\":\"home\"}",
         {RISK_MISSING_EPISODE, -1}},
        {"missing_episode", "missing", "{\"found_out_of_county\":1}",
         {RISK_MISSING_EPISODE, RISK_MISSING_FOUND_OUT_OF_COUNTY, -1}},
        {"return_interview", "completed", "{\"disclosures\":[\"bullying\",\"county_lines\"]}",
         {RISK_RETURN_INTERVIEW_DISCLOSURE, -1}},
        {"return_interview", "declined", "{}", {RISK_RETURN_INTERVIEW_DECLINED, -1}},
        {"return_interview", "not_completed", "{}", {RISK_RETURN_INTERVIEW_DECLINED, -1}},
        {"return_interview", "completed", "{\"disclosures\":[\"bullying\"]}", {-1}},
        {"exploitation_screening", "high", NULL, {RISK_EXPLOITATION_SCREENING_HIGH, -1}},
        {"exploitation_screening", "medium", NULL, {RISK_EXPLOITATION_SCREENING_MEDIUM, -1}},
        {"exploitation_screening", "low", NULL, {RISK_EXPLOITATION_SCREENING_LOW, -1}},
        {"intelligence", "county_lines", NULL, {RISK_EXPLOITATION_INTELLIGENCE, -1}},
        {"intelligence", "other", NULL, {-1}},
        {"nrm_referral", "reasonable_grounds", NULL, {RISK_NRM_REFERRAL, -1}},
        {"nrm_referral", "negative", NULL, {-1}},
        {"crime", "victim", "{\"offence\":\"sexual\",\"exploitation\":[\"cse\"]}",
         {RISK_CRIME_EXPLOITATION, -1}},
        {"crime", "victim", "{\"offence\":\"robbery\"}", {RISK_POLICE_VICTIM, -1}},
        {"crime", "suspect", "{\"offence\":\"drugs_supply\",\"exploitation\":[\"county_lines\"]}",
         {RISK_POLICE_SUSPECT, RISK_CRIME_EXPLOITATION, RISK_DRUG_SUPPLY, -1}},
        {"crime", "offender", "{\"offence\":\"robbery\",\"weapon\":\"knife\"}",
         {RISK_POLICE_SUSPECT, RISK_WEAPON, -1}},
        {"crime", "witness", "{}", {-1}},
        {"arrest", NULL, "{\"offence\":\"drugs_supply\"}", {RISK_DRUG_SUPPLY, -1}},
        {"arrest", NULL, "{\"offence\":\"weapon_possession\"}", {RISK_WEAPON, -1}},
        {"arrest", NULL, "{\"offence\":\"theft\"}", {RISK_POLICE_SUSPECT, -1}},
        {"stop_search", NULL, "{\"object\":\"drugs\",\"found\":1}", {RISK_STOP_SEARCH_DRUGS, -1}},
        {"stop_search", NULL, "{\"object\":\"weapon\",\"found\":1}", {RISK_WEAPON, -1}},
        {"stop_search", NULL, "{\"object\":\"weapon\",\"found\":0}", {-1}},
        {"da_incident", "high", "{\"role\":\"child_in_household\"}", {RISK_DA_HOUSEHOLD, -1}},
        {"da_incident", "medium", "{\"role\":\"perpetrator\"}", {-1}},
        {"school_attendance", NULL, "{\"attendance_pct\":85.5}",
         {RISK_SCHOOL_PERSISTENT_ABSENCE, -1}},
        {"school_attendance", NULL, "{\"attendance_pct\":40}",
         {RISK_SCHOOL_SEVERE_ABSENCE, RISK_SCHOOL_PERSISTENT_ABSENCE, -1}},
        {"school_attendance", NULL, "{\"attendance_pct\":97}", {-1}},
        {"exclusion", "suspension", NULL, {RISK_EXCLUSION_SUSPENSION, -1}},
        {"exclusion", "permanent", NULL, {RISK_EXCLUSION_PERMANENT, -1}},
        {"cme", NULL, NULL, {RISK_MISSING_EDUCATION, -1}},
        {"ed_attendance", "assault", NULL, {RISK_ED_INJURY, -1}},
        {"ed_attendance", "stab_wound", NULL, {RISK_ED_STAB_WOUND, -1}},
        {"ed_attendance", "overdose", NULL, {RISK_ED_SELF_HARM, -1}},
        {"ed_attendance", "alcohol", NULL, {RISK_ED_SUBSTANCE, -1}},
        {"ed_attendance", "sexual_assault", NULL, {RISK_ED_SEXUAL_ASSAULT, -1}},
        {"ed_attendance", "illness", NULL, {-1}},
        {"sexual_health", "sti", NULL, {RISK_SEXUAL_HEALTH, -1}},
        {"sexual_health", "clinic", NULL, {-1}},
        {"substance_misuse", NULL, "{\"substance\":\"cannabis\"}", {RISK_SUBSTANCE_MISUSE, -1}},
        {"yj_intervention", "referral_order", NULL, {RISK_YOUTH_JUSTICE, -1}},
        {"looked_after", "C2", NULL, {RISK_LOOKED_AFTER, -1}},
        {"placement", "foster", "{\"out_of_county\":1}",
         {RISK_PLACEMENT_MOVE, RISK_PLACEMENT_OUT_OF_COUNTY, -1}},
        {"contact", "nfa", NULL, {-1}},
        {"contact", "referral", "{\"reason\":\"cce\"}", {RISK_EXPLOITATION_CONCERN, -1}},
        {"contact", "referral", "{\"reason\":\"neglect\"}", {-1}},
        {"assessment", "single", "{\"factors\":[\"neglect\",\"trafficking\"]}",
         {RISK_EXPLOITATION_CONCERN, -1}},
        {"assessment", "single", "{\"factors\":[\"neglect\"]}", {-1}},
        {"sexual_health", "contraception", "{\"cse_concern\":1}",
         {RISK_EXPLOITATION_CONCERN, -1}},
        {"incident", "suspect", "{\"offence\":\"drugs_supply\"}",
         {RISK_POLICE_SUSPECT, RISK_DRUG_SUPPLY, -1}},
        {"return_interview", "completed", "{\"disclosures\":[\"adult_associates\"]}",
         {RISK_RETURN_INTERVIEW_DISCLOSURE, -1}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct ccase *c = &cases[i];
        json_t *d = c->detail ? json_loads(c->detail, 0, NULL) : NULL;
        struct risk_event_in in = {.type = c->type, .subtype = c->subtype, .detail = d};
        int out[8];
        int n = risk_classify_event(&in, out);
        int want = 0;
        while (c->want[want] >= 0)
            want++;
        if (n != want)
            fail_msg("case %zu (%s/%s): %d indicators, want %d", i, c->type,
                     c->subtype ? c->subtype : "-", n, want);
        for (int k = 0; k < n; k++)
            assert_int_equal(out[k], c->want[k]);
        json_decref(d);
    }
}

/* ------------------------------------------------------------------ decay and bands */

static void test_decay_cap_and_bands(void **state)
{
    (void)state;
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    svp_day today;
    assert_int_equal(svp_date_from_ymd(2026, 6, 1, &today), 0);
    struct risk_fact f = {.indicator = RISK_MISSING_EPISODE, .day = today, .share = 1};
    double wt = w.ind[RISK_MISSING_EPISODE].weight, hl = w.ind[RISK_MISSING_EPISODE].half_life_days;
    assert_true(fabs(risk_fact_points(&w, &f, today) - wt) < 1e-9);
    f.day = today - (svp_day)hl;
    assert_true(fabs(risk_fact_points(&w, &f, today) - wt / 2) < 1e-9);
    f.day = today - 2 * (svp_day)hl;
    assert_true(fabs(risk_fact_points(&w, &f, today) - wt / 4) < 1e-9);
    f.day = today + 1; /* after the scoring date */
    assert_true(risk_fact_points(&w, &f, today) == 0);
    f.day = today - w.lookback_days - 1;
    assert_true(risk_fact_points(&w, &f, today) == 0);
    /* half-life 0: no decay */
    struct risk_fact age = {.indicator = RISK_AGE_BAND, .day = today - 400, .share = 1};
    assert_true(fabs(risk_fact_points(&w, &age, today) - w.ind[RISK_AGE_BAND].weight) < 1e-9);
    /* split facts carry a share of the weight */
    struct risk_fact half = {.indicator = RISK_TOXIC_TRIO, .day = today, .share = 2};
    assert_true(fabs(risk_fact_points(&w, &half, today) - w.ind[RISK_TOXIC_TRIO].weight / 2) <
                1e-9);

    /* cap: 15 episodes long ago count only the cap's worth; no escalation (old) */
    struct risk_fact fs[15];
    for (int i = 0; i < 15; i++)
        fs[i] = (struct risk_fact){.person = 0, .indicator = RISK_MISSING_EPISODE,
                                   .day = today - 200 - i, .share = 1, .event_id = i + 1};
    risk_facts_sort(fs, 15);
    double score;
    risk_score_facts(&w, today, fs, 15, NULL, &score, 1);
    double want = 0;
    for (int i = 0; i < w.ind[RISK_MISSING_EPISODE].cap; i++)
        want += wt * exp2(-(200.0 + i) / hl);
    assert_true(fabs(score - want) < 1e-9);

    /* escalation: 3 in the last 90 days, 1 in the 90 before */
    struct risk_fact esc[4];
    int ages[] = {5, 30, 60, 120};
    for (int i = 0; i < 4; i++)
        esc[i] = (struct risk_fact){.indicator = RISK_MISSING_EPISODE, .day = today - ages[i],
                                    .share = 1, .event_id = i + 1};
    risk_facts_sort(esc, 4);
    risk_score_facts(&w, today, esc, 4, NULL, &score, 1);
    double base = 0;
    for (int i = 0; i < 4; i++)
        base += wt * exp2(-ages[i] / hl);
    double esc_pts = w.ind[RISK_MISSING_ESCALATION].weight *
                     exp2(-5 / w.ind[RISK_MISSING_ESCALATION].half_life_days);
    assert_true(fabs(score - (base + esc_pts)) < 1e-9);

    assert_int_equal(risk_band_of(&w, w.band_high), RISK_BAND_HIGH);
    assert_int_equal(risk_band_of(&w, w.band_high - 0.01), RISK_BAND_MEDIUM);
    assert_int_equal(risk_band_of(&w, w.band_medium), RISK_BAND_MEDIUM);
    assert_int_equal(risk_band_of(&w, w.band_medium - 0.01), RISK_BAND_LOW);
    assert_int_equal(risk_band_of(&w, 0), RISK_BAND_NONE);
}

/* ------------------------------------------------------------------ fairness arithmetic */

/* 200 children, half boys; the list takes `boys` boys and `girls` girls. */
static void fair_case(int boys, int girls, bool want_flag)
{
    struct risk_person persons[200];
    memset(persons, 0, sizeof persons);
    for (int i = 0; i < 200; i++) {
        struct risk_person *rp = &persons[i];
        rp->person_id = i + 1;
        rp->child = true;
        rp->status = RISK_SCORED;
        rp->sex = i < 100 ? "M" : "F";
        rp->ethnicity = "WBRI";
        rp->area = "North";
        bool listed = i < 100 ? i < boys : i - 100 < girls;
        rp->band = listed ? RISK_BAND_HIGH : RISK_BAND_LOW;
    }
    struct risk_panel p = {.persons = persons, .npersons = 200};
    struct risk_fairness *f = NULL;
    struct svp_err err;
    assert_int_equal(risk_fairness(&p, &f, &err), 0);
    assert_int_equal(f->pop_total, 200);
    assert_int_equal(f->list_total, boys + girls);
    /* rows come sex first, then ethnicity, then area */
    assert_string_equal(f->rows[0].dimension, "sex");
    assert_string_equal(f->rows[0].group, "female");
    assert_string_equal(f->rows[1].group, "male");
    assert_string_equal(f->rows[f->n - 1].dimension, "area");
    const struct risk_fair_row *m = &f->rows[1];
    assert_int_equal(m->list_n, boys);
    assert_true(fabs(m->ratio - (double)boys / (boys + girls) / 0.5) < 1e-9);
    assert_int_equal(m->flagged, want_flag);
    assert_int_equal(f->rows[0].flagged, want_flag);
    if (want_flag)
        assert_true(m->p_value < 0.001);
    else
        assert_true(m->p_value > 0.5);
    /* one ethnicity and one area: always in proportion */
    assert_false(f->rows[2].flagged);
    risk_fairness_free(&f);
}

static void test_fairness_flags(void **state)
{
    (void)state;
    fair_case(20, 0, true);   /* a list of boys only */
    fair_case(10, 10, false); /* in proportion */
    fair_case(5, 4, false);   /* fewer than 10 on the list: not tested */
}

/* ------------------------------------------------------------------ store-backed county */

struct fixture {
    char *uri;
    struct store *s;
    int64_t file;
};

#define exec_ok testutil_exec

#define last_id testutil_last_id
#define insert testutil_insert

static int64_t rec(struct fixture *f, const char *agency, const char *arid, const char *dob,
                   const char *sex, const char *eth, const char *area, const char *role)
{
    static long line = 1;
    char ln[24], fid[24];
    snprintf(ln, sizeof ln, "%ld", ++line);
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {agency, agency, arid, dob, sex, eth, area, role, fid, ln};
    insert(f->s,
           "INSERT INTO record (source, agency, agency_record_id, dob, sex, ethnicity, area, "
           "role, file_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
           10, v);
    return last_id(f->s, "record");
}

/* A person of the given records (link's job, done by hand here). */
static int64_t person(struct fixture *f, int n, const int64_t *records)
{
    const char *v[] = {"2026-01-01"};
    insert(f->s, "INSERT INTO person (created_at) VALUES (?)", 1, v);
    int64_t pid = last_id(f->s, "person");
    for (int i = 0; i < n; i++) {
        char r[24], p[24];
        snprintf(r, sizeof r, "%lld", (long long)records[i]);
        snprintf(p, sizeof p, "%lld", (long long)pid);
        const char *w[] = {r, p};
        insert(f->s, "INSERT INTO person_record (record_id, person_id) VALUES (?, ?)", 2, w);
    }
    return pid;
}

static int64_t ev(struct fixture *f, int64_t record, const char *agency, const char *type,
                  const char *subtype, const char *start, const char *end, const char *detail)
{
    static int serial = 0;
    char r[24], id[24], fid[24];
    snprintf(r, sizeof r, "%lld", (long long)record);
    snprintf(id, sizeof id, "E%d", ++serial);
    snprintf(fid, sizeof fid, "%lld", (long long)f->file);
    const char *v[] = {agency, agency, id, r, type, subtype, start, end, detail, fid};
    insert(f->s,
           "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
           "started_at, ended_at, detail, file_id, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
           "7)",
           10, v);
    return last_id(f->s, "event");
}

static void rel(struct fixture *f, const char *kind, int64_t a, int64_t b, int64_t event)
{
    char sa[24], sb[24], se[24];
    snprintf(sa, sizeof sa, "%lld", (long long)a);
    snprintf(sb, sizeof sb, "%lld", (long long)b);
    snprintf(se, sizeof se, "%lld", (long long)event);
    const char *v[] = {kind, sa, sb, event ? se : NULL};
    insert(f->s,
           "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) "
           "VALUES ('police', 'police', ?, ?, ?, ?)",
           4, v);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->s = testutil_open_migrated(&f->uri);
    exec_ok(f->s, "INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
                  "('t', 'police', 'extracts/police.csv', 'abc', '2026-11-01')");
    f->file = last_id(f->s, "source_file");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(&f->s);
    testutil_drop_db(&f->uri);
    free(f);
    return 0;
}

/* The small county every store test uses: ids of its persons. */
struct county {
    int64_t a, b, c, d, e, fch, g, h, j;
    int64_t ra, rb, rc;
};

static void build_county(struct fixture *f, struct county *k)
{
    /* A: 15, exploited: escalating missing, found out of county with adult B, screening. */
    int64_t ra = rec(f, "police", "N1", "2011-03-02", "F", "WBRI", "North", "child");
    int64_t ra2 = rec(f, "csc", "100", "2011-03-02", "F", "WBRI", "North", "child");
    int64_t rb = rec(f, "police", "N2", "1990-05-05", "M", "WBRI", "North", "adult");
    int64_t rc = rec(f, "police", "N3", "2012-01-01", "M", "BCRB", "South", "child");
    k->ra = ra;
    k->rb = rb;
    k->rc = rc;
    int64_t m1 = ev(f, ra, "police", "missing_episode", "missing", "2026-10-20T22:00:00Z", NULL,
                    "{\"found_out_of_county\":1,\"risk_level\":\"high\"}");
    ev(f, ra, "police", "missing_episode", "missing", "2026-09-15", NULL, "{}");
    ev(f, ra, "police", "missing_episode", "missing", "2026-08-20", NULL, "{}");
    ev(f, ra, "police", "missing_episode", "missing", "2026-06-01", NULL, "{}");
    ev(f, ra2, "csc", "exploitation_screening", "high", "2026-10-01", NULL,
       "{\"concerns\":[\"county_lines\"]}");
    ev(f, rb, "police", "arrest", NULL, "2026-03-01", NULL, "{\"offence\":\"drugs_supply\"}");
    rel(f, "found_with", ra, rb, m1);
    /* C: 14, found with A (a peer at risk), one missing episode */
    int64_t mc = ev(f, rc, "police", "missing_episode", "missing", "2026-10-20", NULL, "{}");
    rel(f, "found_with", rc, ra, mc);
    rel(f, "found_with", ra, rc, m1);
    /* D: no date of birth; E: no events */
    int64_t rd = rec(f, "csc", "101", NULL, "M", "WBRI", "South", "child");
    ev(f, rd, "csc", "missing_episode", "missing", "2026-10-01", NULL, "{}");
    int64_t re = rec(f, "csc", "102", "2013-02-02", "F", "AIND", "South", "child");
    /* F: toxic trio at home (parent G: domestic abuse and substance misuse) */
    int64_t rf = rec(f, "csc", "103", "2012-07-07", "M", "WBRI", "South", "child");
    int64_t rg = rec(f, "csc", "104", "1985-07-07", "F", "WBRI", "South", "adult");
    rel(f, "parent", rg, rf, 0);
    ev(f, rg, "police", "da_incident", "high", "2026-09-01", NULL, "{\"role\":\"victim\"}");
    ev(f, rg, "health", "substance_misuse", NULL, "2026-07-01", NULL, "{}");
    ev(f, rf, "education", "school_attendance", NULL, "2026-09-01", "2026-10-20",
       "{\"attendance_pct\":88}");
    rel(f, "perpetrator", rb, rf, 0); /* a standing record: B is a suspected perpetrator */
    /* J: no area on the record, but a postcode the geography knows; domestic abuse recorded
     * on the mother (the victim) with J listed in the household */
    exec_ok(f->s, "INSERT INTO place (place_key, postcode, area, in_county) VALUES "
                  "('|SV4 1AA', 'SV4 1AA', 'CA04', 1)");
    int64_t rj = rec(f, "education", "U2", "2012-02-02", "F", "MWBC", NULL, "child");
    exec_ok(f->s, "UPDATE record SET postcode = 'SV4 1AA' WHERE agency_record_id = 'U2'");
    int64_t rm = rec(f, "police", "N8", "1984-01-01", "F", "MWBC", NULL, "adult");
    int64_t da = ev(f, rm, "police", "da_incident", "high", "2026-10-10", NULL,
                    "{\"role\":\"victim\",\"children_present\":1}");
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO relationship (source, agency, kind, record_a, record_b, event_id) "
             "VALUES ('police', 'police', 'household_member', %lld, %lld, %lld)",
             (long long)rm, (long long)rj, (long long)da);
    exec_ok(f->s, sql);
    k->j = person(f, 1, &rj);
    person(f, 1, &rm);
    /* H: excluded then home educated; three placements (two moves), one out of county */
    int64_t rh = rec(f, "education", "U1", "2010-01-01", "M", "WBRI", "North", "child");
    ev(f, rh, "education", "exclusion", "permanent", "2026-01-10", NULL, "{}");
    ev(f, rh, "education", "ehe", NULL, "2026-03-01", NULL, NULL);
    ev(f, rh, "csc", "placement", "foster", "2025-12-01", "2026-02-01", "{}");
    ev(f, rh, "csc", "placement", "residential", "2026-02-01", "2026-05-01", "{}");
    ev(f, rh, "csc", "placement", "residential", "2026-05-01", NULL, "{\"out_of_county\":1}");
    ev(f, rh, "csc", "looked_after", "C2", "2025-12-01", NULL, NULL);
    k->a = person(f, 2, (int64_t[]){ra, ra2});
    k->b = person(f, 1, &rb);
    k->c = person(f, 1, &rc);
    k->d = person(f, 1, &rd);
    k->e = person(f, 1, &re);
    k->fch = person(f, 1, &rf);
    k->g = person(f, 1, &rg);
    k->h = person(f, 1, &rh);
}

static void build(struct fixture *f, const char *as_of, struct risk_panel **p, bool unlinked)
{
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.unlinked = unlinked, .min_band = RISK_BAND_LOW};
    assert_int_equal(svp_date_parse_iso(as_of, 10, &o.as_of, &err), 0);
    int rc = risk_panel_build(f->s, &w, &o, p, &err);
    if (rc)
        fail_msg("panel: %s", err.msg);
}

static double indicator_points(const struct risk_person *rp, int ind)
{
    double s = 0;
    for (size_t i = 0; i < rp->nreasons; i++)
        if (rp->reasons[i].indicator == ind)
            s += rp->reasons[i].points;
    return s;
}

/* Every point traces to a source record: reasons add up to the score, and each names an
 * existing record of the person (or a relationship of it) and an existing event. */
static void assert_traceable(struct fixture *f, struct risk_panel *p, int64_t pid)
{
    struct risk_person *rp = risk_panel_person(p, pid);
    assert_non_null(rp);
    double sum = 0;
    for (size_t i = 0; i < rp->nreasons; i++) {
        const struct risk_reason *r = &rp->reasons[i];
        sum += r->points;
        assert_true(r->points > 0);
        assert_true(r->record_id > 0);
        assert_true(r->day > 0);
        struct store_stmt *st = NULL;
        struct svp_err err;
        if (r->relationship_id) {
            assert_int_equal(store_prepare(f->s,
                                           "SELECT COUNT(*) FROM relationship r JOIN "
                                           "person_record pa ON pa.record_id = r.record_a JOIN "
                                           "person_record pb ON pb.record_id = r.record_b WHERE "
                                           "r.id = ? AND (pa.person_id = ? OR pb.person_id = ?)",
                                           &st, &err),
                             0);
            assert_int_equal(store_bind_int64(st, 1, r->relationship_id), 0);
            assert_int_equal(store_bind_int64(st, 2, pid), 0);
            assert_int_equal(store_bind_int64(st, 3, pid), 0);
        } else {
            assert_int_equal(store_prepare(f->s,
                                           "SELECT COUNT(*) FROM record r JOIN person_record pr "
                                           "ON pr.record_id = r.id WHERE r.id = ? AND "
                                           "pr.person_id = ?",
                                           &st, &err),
                             0);
            assert_int_equal(store_bind_int64(st, 1, r->record_id), 0);
            assert_int_equal(store_bind_int64(st, 2, pid), 0);
        }
        assert_int_equal(store_step(st, &err), STORE_ROW);
        /* toxic trio facts come from a household member's record: the relationship is the
         * person's, the record is the member's */
        if (r->indicator != RISK_TOXIC_TRIO)
            assert_int_equal(store_column_int64(st, 0), 1);
        store_finalize(&st);
        if (r->event_id) {
            assert_int_equal(store_prepare(f->s, "SELECT COUNT(*) FROM event WHERE id = ?", &st,
                                           &err),
                             0);
            assert_int_equal(store_bind_int64(st, 1, r->event_id), 0);
            assert_int_equal(store_step(st, &err), STORE_ROW);
            assert_int_equal(store_column_int64(st, 0), 1);
            store_finalize(&st);
        }
    }
    assert_true(fabs(sum - rp->score) < 1e-6);
}

/* One person's score without the whole panel (risk_person_score) is the panel's, for every
 * person of p: status, score, band, reasons and care flag. */
static void assert_person_scores_match(struct fixture *f, struct risk_panel *p, bool unlinked)
{
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.unlinked = unlinked, .as_of = p->as_of};
    size_t scored = 0;
    for (size_t i = 0; i < p->npersons; i++) {
        struct risk_person *whole = risk_panel_person(p, p->persons[i].person_id);
        struct risk_panel *one = NULL;
        struct risk_person *rp = NULL;
        if (risk_person_score(f->s, &w, &o, whole->person_id, &one, &rp, &err))
            fail_msg("person %lld: %s", (long long)whole->person_id, err.msg);
        assert_int_equal(rp->person_id, whole->person_id);
        assert_int_equal(rp->status, whole->status);
        assert_true(fabs(rp->score - whole->score) < 1e-9);
        assert_int_equal(rp->band, whole->band);
        assert_int_equal(rp->rank, 0); /* nobody is ranked from a neighbourhood */
        assert_int_equal(rp->care_flag, whole->care_flag);
        assert_int_equal(rp->nreasons, whole->nreasons);
        for (size_t k = 0; k < rp->nreasons; k++) {
            assert_int_equal(rp->reasons[k].indicator, whole->reasons[k].indicator);
            assert_true(fabs(rp->reasons[k].points - whole->reasons[k].points) < 1e-9);
        }
        /* it read the neighbourhood, not the county */
        assert_true(one->npersons <= p->npersons);
        scored += rp->status == RISK_SCORED;
        risk_panel_free(&one);
    }
    assert_true(scored > 0);
    struct risk_panel *none = NULL;
    struct risk_person *rp = NULL;
    assert_int_equal(risk_person_score(f->s, &w, &o, 999999, &none, &rp, &err), SVP_ENOTFOUND);
    assert_null(none);
}

static void test_county_scores_and_reasons(void **state)
{
    struct fixture *f = *state;
    struct county k;
    build_county(f, &k);
    struct risk_panel *p = NULL;
    build(f, "2026-11-01", &p, false);

    struct risk_person *a = risk_panel_person(p, k.a);
    assert_int_equal(a->status, RISK_SCORED);
    assert_int_equal(a->band, RISK_BAND_HIGH);
    assert_int_equal(a->rank, 1);
    assert_int_equal(a->age, 15);
    assert_string_equal(a->area, "North");
    assert_true(indicator_points(a, RISK_MISSING_EPISODE) > 0);
    assert_true(indicator_points(a, RISK_MISSING_ESCALATION) > 0);
    assert_true(indicator_points(a, RISK_MISSING_HIGH_RISK) > 0);
    assert_true(indicator_points(a, RISK_MISSING_FOUND_OUT_OF_COUNTY) > 0);
    assert_true(indicator_points(a, RISK_MISSING_FOUND_WITH_ADULT) > 0);
    assert_true(indicator_points(a, RISK_ADULT_OF_CONCERN) > 0);
    assert_true(indicator_points(a, RISK_EXPLOITATION_SCREENING_HIGH) > 0);
    assert_true(indicator_points(a, RISK_AGE_BAND) > 0);
    assert_true((a->agencies & (1u << RISK_AG_POLICE)) && (a->agencies & (1u << RISK_AG_CSC)));
    assert_traceable(f, p, k.a);

    /* C is with A, who is on the list: the second pass adds the association */
    struct risk_person *c = risk_panel_person(p, k.c);
    assert_int_equal(c->status, RISK_SCORED);
    assert_true(indicator_points(c, RISK_MISSING_FOUND_WITH_PEER_AT_RISK) > 0);
    assert_true(indicator_points(c, RISK_PEER_AT_RISK) == 0);
    assert_traceable(f, p, k.c);
    bool names_a = false;
    for (size_t i = 0; i < c->nreasons; i++)
        names_a |= c->reasons[i].other_person_id == k.a;
    assert_true(names_a);
    /* A is not lifted by C (C is not on the list) */
    assert_true(indicator_points(a, RISK_MISSING_FOUND_WITH_PEER_AT_RISK) == 0);

    /* no-score cases say why */
    assert_int_equal(risk_panel_person(p, k.d)->status, RISK_NO_DOB);
    assert_int_equal(risk_panel_person(p, k.e)->status, RISK_TOO_LITTLE);
    assert_int_equal(risk_panel_person(p, k.b)->status, RISK_ADULT);
    assert_int_equal(risk_panel_person(p, k.d)->rank, 0);
    assert_non_null(strstr(risk_status_text(RISK_NO_DOB), "no score"));
    assert_int_equal(p->nno_dob, 1);
    assert_int_equal(p->ntoo_little, 1);

    /* toxic trio through the parent, persistent absence */
    struct risk_person *fc = risk_panel_person(p, k.fch);
    assert_true(fabs(indicator_points(fc, RISK_TOXIC_TRIO) -
                     (p->weights.ind[RISK_TOXIC_TRIO].weight / 2) *
                         (exp2(-61 / 365.0) + exp2(-123 / 365.0))) < 1e-6);
    assert_true(indicator_points(fc, RISK_SCHOOL_PERSISTENT_ABSENCE) > 0);
    assert_true(fabs(indicator_points(fc, RISK_PERPETRATOR_LINK) -
                     p->weights.ind[RISK_PERPETRATOR_LINK].weight) < 1e-9);
    assert_traceable(f, p, k.fch);

    /* H: exclusion then home education, two moves, out of county, looked after now, and no
     * exploitation signal: the care signals raise the care-quality flag, not the score */
    struct risk_person *h = risk_panel_person(p, k.h);
    assert_true(indicator_points(h, RISK_EHE_AFTER_EXCLUSION) > 0);
    assert_true(indicator_points(h, RISK_EXCLUSION_PERMANENT) > 0);
    assert_true(h->care_flag);
    assert_int_equal(h->care_moves, 2);
    assert_true(indicator_points(h, RISK_PLACEMENT_MOVE) == 0);
    assert_true(indicator_points(h, RISK_LOOKED_AFTER) == 0);
    assert_true(indicator_points(h, RISK_PLACEMENT_OUT_OF_COUNTY) == 0);
    assert_true(h->plans & RISK_PLAN_LAC);
    assert_int_equal(h->age, 16);
    assert_traceable(f, p, k.h);

    struct risk_person *pj = risk_panel_person(p, k.j);
    assert_string_equal(pj->area, "CA04");
    /* J: domestic abuse in the household and no exploitation signal: a family-context signal
     * that counts only beside one (issue 15), so no points */
    assert_true(indicator_points(pj, RISK_DA_HOUSEHOLD) == 0);
    assert_traceable(f, p, k.j);
    /* beside an exploitation signal it counts, up to that signal's points */
    struct risk_fact two[3] = {
        {.person = 0, .indicator = RISK_CRIME_EXPLOITATION, .agency = 0, .share = 1,
         .day = p->as_of - 10},
        {.person = 0, .indicator = RISK_DA_HOUSEHOLD, .share = 1, .day = p->as_of - 22,
         .flags = RISK_FACT_CARE},
        {.person = 1, .indicator = RISK_DA_HOUSEHOLD, .share = 1, .day = p->as_of - 22,
         .flags = RISK_FACT_CARE},
    };
    double sc[2];
    risk_facts_sort(two, 3);
    risk_score_facts(&p->weights, p->as_of, two, 3, NULL, sc, 2);
    struct risk_fact alone = two[0].person == 0 ? two[0] : two[1];
    alone.indicator = RISK_CRIME_EXPLOITATION;
    alone.flags = 0;
    double expl_only;
    risk_score_facts(&p->weights, p->as_of, &alone, 1, NULL, &expl_only, 1);
    assert_true(sc[0] > expl_only);
    assert_true(sc[1] == 0);

    /* the list is ranked by score; JSON carries the reasons with their sources */
    for (size_t i = 1; i < p->nlist; i++)
        assert_true(p->list[i - 1]->score >= p->list[i]->score);
    json_t *j = risk_panel_json(p, 0);
    assert_non_null(j);
    json_t *first = json_array_get(json_object_get(j, "list"), 0);
    assert_int_equal(json_integer_value(json_object_get(first, "person_id")), k.a);
    json_t *r0 = json_array_get(json_object_get(first, "reasons"), 0);
    assert_non_null(json_object_get(r0, "record_id"));
    assert_non_null(json_object_get(r0, "date"));
    assert_non_null(json_object_get(r0, "agency"));
    assert_true(json_is_string(json_object_get(r0, "agency_record_id")));
    json_decref(j);
    assert_person_scores_match(f, p, false);
    risk_panel_free(&p);

    /* as of a date before the harm, A is not on the list and later events are ignored */
    build(f, "2026-05-01", &p, false);
    a = risk_panel_person(p, k.a);
    assert_true(a->score < p->weights.band_medium);
    assert_true(indicator_points(a, RISK_MISSING_EPISODE) == 0);
    risk_panel_free(&p);

    /* the toxic trio is the household's context, like its domestic abuse: without the
     * perpetrator's record F has no exploitation signal, and the trio gives no points */
    exec_ok(f->s, "DELETE FROM relationship WHERE kind = 'perpetrator'");
    build(f, "2026-11-01", &p, false);
    struct risk_person *trio = risk_panel_person(p, k.fch);
    assert_true(indicator_points(trio, RISK_PERPETRATOR_LINK) == 0);
    assert_true(indicator_points(trio, RISK_TOXIC_TRIO) == 0);
    assert_true(indicator_points(trio, RISK_SCHOOL_PERSISTENT_ABSENCE) > 0);
    assert_person_scores_match(f, p, false);
    risk_panel_free(&p);
}

static void test_link_required(void **state)
{
    struct fixture *f = *state;
    int64_t r = rec(f, "police", "N9", "2011-01-01", "F", "WBRI", "North", "child");
    ev(f, r, "police", "missing_episode", "missing", "2026-10-01", NULL, "{}");
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.as_of = 20400};
    struct risk_panel *p = NULL;
    assert_int_equal(risk_panel_build(f->s, &w, &o, &p, &err), SVP_ECONFLICT);
    assert_non_null(strstr(err.msg, "svp link"));
    assert_null(p);
    build(f, "2026-11-01", &p, true);
    assert_true(p->unlinked);
    struct risk_person *rp = risk_panel_person(p, r);
    assert_non_null(rp);
    assert_int_equal(rp->status, RISK_SCORED);
    json_t *j = risk_panel_json(p, 1);
    assert_true(json_is_true(json_object_get(j, "persons_are_records")));
    json_decref(j);
    risk_panel_free(&p);
}

static void test_save_and_changes(void **state)
{
    struct fixture *f = *state;
    struct county k;
    build_county(f, &k);
    struct risk_panel *p = NULL;
    build(f, "2026-11-01", &p, false);
    assert_int_equal(p->previous_snapshot, 0);
    int64_t snap = 0;
    struct svp_err err;
    assert_int_equal(risk_panel_save(f->s, p, &snap, &err), 0);
    assert_true(snap > 0);
    int64_t n = 0, reasons = 0;
    assert_int_equal(store_query_int64(f->s, "SELECT COUNT(*) FROM risk_snapshot_person", &n,
                                       &err),
                     0);
    assert_int_equal(n, (int64_t)p->nlisted_all);
    assert_int_equal(store_query_int64(f->s, "SELECT COUNT(*) FROM risk_snapshot_reason",
                                       &reasons, &err),
                     0);
    assert_true(reasons >= (int64_t)risk_panel_person(p, k.a)->nreasons);
    risk_panel_free(&p);

    /* C gets an exploitation screening: new on the list; a year later A has left */
    ev(f, k.rc, "csc", "exploitation_screening", "high", "2026-11-01", NULL, NULL);
    build(f, "2026-11-01", &p, false);
    assert_int_equal(p->previous_snapshot, snap);
    struct risk_person *c = risk_panel_person(p, k.c);
    assert_true(c->band >= RISK_BAND_MEDIUM);
    if (risk_panel_person(p, k.c)->prev_rank == 0)
        assert_int_equal(c->change, RISK_CHANGE_NEW);
    struct risk_person *a = risk_panel_person(p, k.a);
    assert_true(a->change == RISK_CHANGE_SAME || a->change == RISK_CHANGE_DOWN);
    risk_panel_free(&p);
    build(f, "2029-12-01", &p, false);
    bool a_left = false;
    for (size_t i = 0; i < p->nleft; i++)
        a_left |= p->left[i]->person_id == k.a && p->left[i]->change == RISK_CHANGE_LEFT;
    assert_true(a_left);
    risk_panel_free(&p);
}

static void test_fairness_and_chronology(void **state)
{
    struct fixture *f = *state;
    struct county k;
    build_county(f, &k);
    struct risk_panel *p = NULL;
    build(f, "2026-11-01", &p, false);
    struct risk_fairness *fr = NULL;
    struct svp_err err;
    assert_int_equal(risk_fairness(p, &fr, &err), 0);
    assert_int_equal(fr->pop_total, (long)p->nchildren);
    long sex_pop = 0, sex_list = 0;
    for (size_t i = 0; i < fr->n; i++)
        if (!strcmp(fr->rows[i].dimension, "sex")) {
            sex_pop += fr->rows[i].pop_n;
            sex_list += fr->rows[i].list_n;
            assert_true(fr->rows[i].too_few); /* a county of 6 children tests nothing */
            assert_false(fr->rows[i].flagged);
        }
    assert_int_equal(sex_pop, fr->pop_total);
    assert_int_equal(sex_list, fr->list_total);
    risk_fairness_free(&fr);
    risk_panel_free(&p);

    struct risk_chronology *c = NULL;
    assert_int_equal(risk_chronology_load(f->s, k.a, false, &c, &err), 0);
    assert_int_equal(c->nrecords, 2);
    assert_int_equal(c->n, 5);
    for (size_t i = 1; i < c->n; i++)
        assert_true(strcmp(c->entries[i - 1].when, c->entries[i].when) <= 0);
    assert_string_equal(c->entries[0].file, "extracts/police.csv");
    assert_int_equal(c->entries[0].line, 7);
    assert_string_equal(c->entries[c->n - 1].agency, "police");
    assert_non_null(c->entries[0].agency_record_id);
    risk_chronology_free(&c);
    assert_int_equal(risk_chronology_load(f->s, 99999, false, &c, &err), SVP_ENOTFOUND);
}

/* Association with a peer counts only when the peer is on the list (second pass). */
static void test_peer_second_pass(void **state)
{
    struct fixture *f = *state;
    int64_t r1 = rec(f, "police", "P1", "2011-01-01", "M", "WBRI", "X", "child");
    int64_t r2 = rec(f, "police", "P2", "2011-01-01", "M", "WBRI", "X", "child");
    int64_t e = ev(f, r1, "police", "crime", "suspect", "2026-10-01", NULL,
                   "{\"offence\":\"robbery\"}");
    ev(f, r2, "police", "crime", "suspect", "2026-10-01", NULL, "{\"offence\":\"robbery\"}");
    rel(f, "co_offender", r1, r2, e);
    int64_t p1 = person(f, 1, &r1), p2 = person(f, 1, &r2);
    struct risk_panel *p = NULL;
    build(f, "2026-11-01", &p, false);
    assert_true(indicator_points(risk_panel_person(p, p1), RISK_PEER_AT_RISK) == 0);
    risk_panel_free(&p);
    ev(f, r2, "police", "intelligence", "county_lines", "2026-10-02", NULL, NULL);
    ev(f, r2, "csc", "exploitation_screening", "high", "2026-10-03", NULL, NULL);
    build(f, "2026-11-01", &p, false);
    assert_true(risk_panel_person(p, p2)->band >= RISK_BAND_MEDIUM);
    assert_true(indicator_points(risk_panel_person(p, p1), RISK_PEER_AT_RISK) > 0);
    assert_traceable(f, p, p1);
    assert_person_scores_match(f, p, false);
    risk_panel_free(&p);
}

/* Every allocation of a panel build, a save and an explanation may fail: each failure is an
 * error value with a message, never a crash or a leak (curl's torture mode). */
static void test_allocation_failures(void **state)
{
    struct fixture *f = *state;
    struct county k;
    build_county(f, &k);
    struct risk_weights w;
    struct svp_err err;
    assert_int_equal(risk_weights_load(NULL, &w, &err), 0);
    struct risk_panel_opts o = {.min_band = RISK_BAND_LOW};
    assert_int_equal(svp_date_parse_iso("2026-11-01", 10, &o.as_of, &err), 0);
    int failures = 0;
    for (long n = 0; n < 5000; n++) {
        struct risk_panel *p = NULL;
        svp_err_clear(&err);
        svp_mem_fail_after(n);
        int rc = risk_panel_build(f->s, &w, &o, &p, &err);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (rc == 0) {
            assert_non_null(p);
            risk_panel_free(&p);
            if (!fired)
                break;
            continue;
        }
        failures++;
        assert_null(p);
        assert_true(err.msg[0] != '\0');
    }
    assert_true(failures > 10);
    /* one person's score, its neighbourhood included */
    failures = 0;
    for (long n = 0; n < 5000; n++) {
        struct risk_panel *p = NULL;
        struct risk_person *rp = NULL;
        svp_err_clear(&err);
        svp_mem_fail_after(n);
        int rc = risk_person_score(f->s, &w, &o, k.a, &p, &rp, &err);
        bool fired = svp_mem_failed();
        svp_mem_fail_after(-1);
        if (rc == 0) {
            assert_non_null(rp);
            risk_panel_free(&p);
            if (!fired)
                break;
            continue;
        }
        failures++;
        assert_null(p);
        assert_true(err.msg[0] != '\0');
    }
    assert_true(failures > 10);
    svp_mem_fail_after(-1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_weights_load),
        cmocka_unit_test(test_weights_errors_name_the_line),
        cmocka_unit_test(test_classify_each_indicator),
        cmocka_unit_test(test_decay_cap_and_bands),
        cmocka_unit_test(test_fairness_flags),
        cmocka_unit_test_setup_teardown(test_county_scores_and_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_and_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fairness_and_chronology, setup, teardown),
        cmocka_unit_test_setup_teardown(test_peer_second_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_allocation_failures, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
