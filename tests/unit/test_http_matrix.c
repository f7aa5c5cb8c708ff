/* The web server's access matrices, end to end over a real socket: every route against every
 * role and no session (the expected allow/deny written down below); every route that reads
 * personal data against every role, agency and data category of one child's records, in
 * four phases of the sharing rules; and the household view's member-by-member check.
 * Runs on SQLite and on PostgreSQL. */
#include "http_fixture.h"

/* ------------------------------------------------------------------ the expected matrix */

/* Who may call each route. "none" is a request without a session. Every route in the
 * table must be listed here, and nothing else: a new route without a row fails the test. */
static const struct expect {
    const char *method, *pattern, *allowed;
} matrix[] = {
    {"POST", "/api/v1/session", "none administrator analyst panel practitioner auditor"},
    {"GET", "/api/v1/session", "administrator analyst panel practitioner auditor"},
    {"DELETE", "/api/v1/session", "administrator analyst panel practitioner auditor"},
    {"POST", "/api/v1/session/password", "administrator analyst panel practitioner auditor"},
    {"GET", "/api/v1/persons", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/persons/{id}", "administrator analyst panel practitioner"},
    {"POST", "/api/v1/persons/{id}/share", "administrator panel"},
    {"POST", "/api/v1/persons/{id}/break-glass", "panel practitioner"},
    {"GET", "/api/v1/break-glass/reasons", "panel practitioner"},
    {"POST", "/api/v1/reidentify", "administrator panel"},
    {"GET", "/api/v1/records/{id}", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/panel", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/contexts/hotspots", "administrator analyst panel"},
    {"GET", "/api/v1/contexts/boundaries", "administrator analyst panel"},
    {"GET", "/api/v1/contexts/network", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/contexts/trends", "administrator analyst panel"},
    {"GET", "/api/v1/link/review", "administrator analyst"},
    {"POST", "/api/v1/link/review", "administrator analyst"},
    {"GET", "/api/v1/link/explain", "administrator analyst"},
    {"GET", "/api/v1/clocks", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/clocks/periods", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/clocks/due", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/report/dataset", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/report/export", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/report/drill", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/persons/{id}/risk", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/persons/{id}/household", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/panel/turning18", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/da/call", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/da/call/export.xlsx", "administrator analyst panel practitioner"},
    {"POST", "/api/v1/da/action", "administrator panel practitioner"},
    {"POST", "/api/v1/da/action/done", "administrator panel practitioner"},
    {"GET", "/api/v1/da/figures", "administrator analyst panel"},
    {"GET", "/api/v1/adults/sac", "administrator analyst panel"},
    {"GET", "/api/v1/sources", "administrator analyst"},
    {"POST", "/api/v1/profile/draft", "administrator analyst"},
    {"GET", "/api/v1/adults/list", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/reviews", "administrator analyst panel"},
    {"GET", "/api/v1/learning", "administrator analyst panel"},
    {"POST", "/api/v1/reviews", "administrator panel"},
    {"POST", "/api/v1/reviews/update", "administrator panel"},
    {"POST", "/api/v1/learning/done", "administrator panel"},
    {"POST", "/api/v1/learning", "administrator panel"},
    {"GET", "/api/v1/meeting", "administrator panel"},
    {"GET", "/api/v1/registers", "administrator analyst panel"},
    {"GET", "/api/v1/registers/entries", "administrator analyst panel"},
    {"POST", "/api/v1/registers/entries", "administrator analyst panel"},
    {"POST", "/api/v1/registers/entries/update", "administrator analyst panel"},
    {"GET", "/api/v1/registers/history", "administrator analyst panel"},
    {"GET", "/api/v1/registers/export.xlsx", "administrator analyst panel"},
    {"GET", "/api/v1/registers/figures", "administrator analyst panel"},
    {"GET", "/api/v1/contexts/network/ego", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/contexts/network/search", "administrator analyst panel practitioner"},
    {"GET", "/api/v1/meeting/export.xlsx", "administrator panel"},
    {"POST", "/api/v1/meeting/{id}/discussion", "administrator panel"},
    {"POST", "/api/v1/meeting/{id}/action", "administrator panel"},
    {"POST", "/api/v1/meeting/action", "administrator panel"},
    {"GET", "/api/v1/audit", "auditor"},
    {"GET", "/api/v1/audit/verify", "auditor"},
    {"GET", "/api/v1/audit/person/{id}", "auditor"},
    {"GET", "/api/v1/audit/break-glass", "auditor"},
    {"GET", "/api/v1/audit/anchor", "auditor"},
    {"GET", "/api/v1/audit/mine", "administrator analyst panel practitioner auditor"},
    {"GET", "/api/v1/users", "administrator"},
    {"POST", "/api/v1/users", "administrator"},
    {"POST", "/api/v1/users/{id}/disable", "administrator"},
    {"POST", "/api/v1/users/{id}/enable", "administrator"},
    {"POST", "/api/v1/users/{id}/reset", "administrator"},
};

/* ------------------------------------------------------------------ the matrix */

static void concrete_path(struct fixture *f, const struct http_route *rt, char *out, size_t cap)
{
    const char *at = strstr(rt->pattern, "{id}");
    if (!at) {
        svp_strlcpy(out, rt->pattern, cap);
        return;
    }
    int64_t id = rt->object == ACCESS_OBJ_PERSON   ? f->person_police
                 : rt->object == ACCESS_OBJ_RECORD ? f->record_police
                                                   : f->target_uid;
    snprintf(out, cap, "%.*s%lld%s", (int)(at - rt->pattern), rt->pattern, (long long)id,
             at + 4);
}

static void test_route_matrix(void **state)
{
    struct fixture *f = *state;
    size_t n;
    const struct http_route *routes = http_routes(&n);
    assert_int_equal(n, sizeof matrix / sizeof matrix[0]);
    int checked = 0;
    for (size_t i = 0; i < n; i++) {
        const struct expect *e = NULL;
        for (size_t k = 0; k < sizeof matrix / sizeof matrix[0]; k++)
            if (!strcmp(matrix[k].method, routes[i].method) &&
                !strcmp(matrix[k].pattern, routes[i].pattern))
                e = &matrix[k];
        if (!e)
            fail_msg("route %s %s has no row in the expected matrix", routes[i].method,
                     routes[i].pattern);
        char path[256];
        concrete_path(f, &routes[i], path, sizeof path);
        for (int r = 0; r < 6; r++) {
            char word[40];
            snprintf(word, sizeof word, " %s ", role_users[r]);
            char padded[128];
            snprintf(padded, sizeof padded, " %s ", e->allowed);
            bool expect_allowed = strstr(padded, word) != NULL;
            struct session s;
            if (r)
                s = session_for(f, f->uid[r]);
            bool writes = strcmp(routes[i].method, "GET") != 0;
            struct resp resp = request(f, routes[i].method, path, r ? &s : NULL,
                                       writes ? "{}" : NULL, NULL);
            bool refused = resp.status == 401 || resp.status == 403;
            if (expect_allowed == refused || resp.status >= 500)
                fail_msg("%s %s as %s: expected %s, got %d: %s", routes[i].method, path,
                         role_users[r], expect_allowed ? "allowed" : "refused", resp.status,
                         resp.body);
            if (!expect_allowed)
                assert_int_equal(resp.status, r ? 403 : 401);
            resp_free(&resp);
            checked++;
        }
    }
    assert_int_equal(checked, (int)n * 6);
    /* Put the target user back as it was (the matrix disabled and reset it). */
    struct svp_err err;
    assert_int_equal(access_user_set_disabled(f->s, NULL, "target", false, &err), 0);
}

/* The household (Think Family) view: each member passes the one check, each need's evidence
 * is shown only to whom the rules show that agency's records of that category. */
static void test_household_need_to_know(void **state)
{
    struct fixture *f = *state;
    testutil_exec(f->s,
                  "INSERT INTO source_file (source, agency, path, sha256, imported_at) VALUES "
                  "('hh', 'police', 'hh.csv', 'hh', '2026-01-01T00:00:00Z');"
                  "INSERT INTO person (id, created_at) VALUES (40, 'x'), (41, 'x');"
                  "INSERT INTO record (id, source, agency, agency_record_id, given_name, "
                  "family_name, norm_family, dob, role) VALUES "
                  "(400, 'hh-edu', 'education', 'HE-1', 'Ottilie', 'Brandt', 'brandt', "
                  "'2014-01-01', 'child'),"
                  "(401, 'hh-health', 'health', 'HH-1', 'Ottilie', 'Brandt', 'brandt', "
                  "'2014-01-01', 'child'),"
                  "(402, 'hh-pol', 'police', 'HP-2', 'Wilma', 'Brandt', 'brandt', "
                  "'1985-01-01', 'adult'),"
                  "(403, 'hh-health', 'health', 'HH-2', 'Wilma', 'Brandt', 'brandt', "
                  "'1985-01-01', 'adult');"
                  "INSERT INTO person_record (record_id, person_id) VALUES (400, 40), (401, 40), "
                  "(402, 41), (403, 41);"
                  "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
                  "started_at) VALUES ('hh-pol', 'police', 'HD1', 402, 'da_incident', 'high', "
                  "'2026-03-01'), ('hh-health', 'health', 'HS1', 403, 'ed_attendance', "
                  "'self_harm', '2026-04-01'), ('hh-edu', 'education', 'HA1', 400, "
                  "'school_attendance', NULL, '2026-04-01');"
                  "INSERT INTO relationship (source, agency, kind, record_a, record_b) VALUES "
                  "('hh-pol', 'police', 'household_member', 402, 400)");
    const char *who[] = {"education", "health", "police"};
    struct session sess[3];
    for (int i = 0; i < 3; i++) {
        char name[32];
        int64_t uid;
        struct svp_err err;
        snprintf(name, sizeof name, "hh-%s", who[i]);
        if (access_user_add(f->s, NULL, name, ACCESS_PRACTITIONER, who[i],
                            "correct horse battery", false, &uid, &err))
            fail_msg("%s", err.msg);
        sess[i] = session_for(f, uid);
    }
    /* Education holds the child, not the mother: the relation only, nothing of her. */
    struct resp r = expect(f, "GET", "/api/v1/persons/40/household", &sess[0], NULL, 200);
    assert_non_null(strstr(r.body, "\"withheld\":true"));
    assert_non_null(strstr(r.body, "\"relation\":\"household member\""));
    assert_null(strstr(r.body, "Wilma"));
    assert_null(strstr(r.body, "self_harm"));
    assert_null(strstr(r.body, "da_incident"));
    assert_null(strstr(r.body, "\"toxic_trio\":[\""));
    resp_free(&r);
    /* Health holds both: its own mental health record of her, not police's domestic abuse. */
    r = expect(f, "GET", "/api/v1/persons/40/household", &sess[1], NULL, 200);
    assert_non_null(strstr(r.body, "Wilma"));
    assert_non_null(strstr(r.body, "self_harm"));
    assert_null(strstr(r.body, "da_incident"));
    assert_non_null(strstr(r.body, "\"toxic_trio\":[\"mental_health\"]"));
    resp_free(&r);
    /* Police holds no record of the child: refused, and the refusal audited. */
    expect_status(f, "GET", "/api/v1/persons/40/household", &sess[2], NULL, 403);
    /* The administrator sees both needs; every view is audited naming who was shown. */
    struct session admin = session_for(f, f->uid[1]);
    r = expect(f, "GET", "/api/v1/persons/40/household", &admin, NULL, 200);
    assert_non_null(strstr(r.body, "self_harm"));
    assert_non_null(strstr(r.body, "da_incident"));
    resp_free(&r);
    assert_true(q64(f->s, "SELECT count(*) FROM audit_log WHERE object = 'person:40' AND "
                          "detail LIKE 'household%'") >= 3);
}

/* ------------------------------------------------------------------ the category matrix */

/* Every route that reads personal data, and how the category matrix exercises it. A route
 * reading personal data that is missing here fails the test: add it with its check. */
enum how { PAGE_PERSON, PAGE_RECORD, PAGE_OTHER, LIST_SEARCH, LIST_OTHER, WRITE_SKIPPED };
static const struct {
    const char *method, *pattern, *query;
    enum how how;
} personal_routes[] = {
    {"GET", "/api/v1/persons/{id}", "", PAGE_PERSON},
    {"GET", "/api/v1/records/{id}", "", PAGE_RECORD},
    {"GET", "/api/v1/persons", "?q=zed", LIST_SEARCH},
    {"GET", "/api/v1/panel", "?top=50", LIST_OTHER},
    {"GET", "/api/v1/adults/list", "", LIST_OTHER},
    {"GET", "/api/v1/panel/turning18", "?months=24", LIST_OTHER},
    {"GET", "/api/v1/contexts/network", "", LIST_OTHER},
    {"GET", "/api/v1/contexts/hotspots", "", LIST_OTHER},
    {"GET", "/api/v1/link/review", "", LIST_OTHER},
    {"GET", "/api/v1/link/explain", "?a=1&b=2", LIST_OTHER},
    {"GET", "/api/v1/persons/{id}/risk", "", PAGE_OTHER},
    {"GET", "/api/v1/persons/{id}/household", "", PAGE_OTHER},
    {"GET", "/api/v1/clocks/due", "", LIST_OTHER},
    {"GET", "/api/v1/report/drill", "?figure=lac&period=2021-22", LIST_OTHER},
    {"GET", "/api/v1/da/call", "?date=2026-03-02", LIST_OTHER},
    {"GET", "/api/v1/da/call/export.xlsx", "?date=2026-03-02", LIST_OTHER},
    {"POST", "/api/v1/da/action", "", WRITE_SKIPPED},
    {"POST", "/api/v1/da/action/done", "", WRITE_SKIPPED},
    {"GET", "/api/v1/contexts/network/ego", "?person=3", LIST_OTHER},
    {"GET", "/api/v1/contexts/network/search", "?q=zed", LIST_OTHER},
    {"GET", "/api/v1/meeting", "", LIST_OTHER},
    {"GET", "/api/v1/meeting/export.xlsx", "", LIST_OTHER},
    {"POST", "/api/v1/meeting/{id}/discussion", "", WRITE_SKIPPED},
    {"POST", "/api/v1/meeting/{id}/action", "", WRITE_SKIPPED},
    {"POST", "/api/v1/meeting/action", "", WRITE_SKIPPED},
    /* State changes are tested by the route matrix and their own tests. */
    {"POST", "/api/v1/persons/{id}/share", "", WRITE_SKIPPED},
    {"POST", "/api/v1/link/review", "", WRITE_SKIPPED},
    {"POST", "/api/v1/reidentify", "", WRITE_SKIPPED},
    {"POST", "/api/v1/persons/{id}/break-glass", "", WRITE_SKIPPED},
};

/* The matrix child's events: one per (holder agency, category), each of its own type. */
static const struct {
    const char *agency, *type, *subtype;
    int cat;
} mx_events[] = {
    {"health", "sexual_health", "pregnancy", ACCESS_CAT_SEXUAL_HEALTH},
    {"health", "camhs_referral", NULL, ACCESS_CAT_MENTAL_HEALTH},
    {"health", "substance_misuse", NULL, ACCESS_CAT_SUBSTANCE_MISUSE},
    {"health", "ed_attendance", "injury", ACCESS_CAT_ORDINARY},
    {"police", "da_incident", "high", ACCESS_CAT_DA_VICTIM},
    {"police", "intelligence", "cce", ACCESS_CAT_POLICE_INTEL},
    {"police", "crime", "victim", ACCESS_CAT_ORDINARY},
    {"yjs", "yj_intervention", "referral_order", ACCESS_CAT_YOUTH_JUSTICE},
    {"education", "school_attendance", NULL, ACCESS_CAT_ORDINARY},
    {"csc", "referral", "mash", ACCESS_CAT_ORDINARY},
};
static const char *const mx_agencies[] = {"csc", "police", "health", "education", "yjs",
                                          "partnership"};
static const char *const mx_roles[] = {"practitioner", "panel", "analyst", "administrator",
                                       "auditor"};

/* The shipped rules (docs/sharing.md) written out by hand, for the phases of the test:
 * 0 nothing but own records; 1 the child shared with every agency; 2 on the panel list;
 * 3 an open child protection plan (csc) and an open youth justice order (yjs). */
static bool mx_expect(const char *role, const char *agency, const char *holder, int cat,
                      int phase)
{
    if (!strcmp(role, "administrator") || !strcmp(role, "analyst"))
        return true;
    if (!strcmp(role, "auditor"))
        return false;
    if (!strcmp(agency, holder))
        return true;
    if (phase == 1 && cat == ACCESS_CAT_ORDINARY)
        return true;
    if (phase == 2 && !strcmp(role, "panel") && cat == ACCESS_CAT_ORDINARY)
        return true;
    if (phase == 3 && !strcmp(role, "practitioner") &&
        (!strcmp(agency, "csc") || !strcmp(agency, "yjs")))
        return cat == ACCESS_CAT_ORDINARY ||
               (!strcmp(holder, "police") &&
                cat == (!strcmp(agency, "csc") ? ACCESS_CAT_DA_VICTIM : ACCESS_CAT_POLICE_INTEL));
    return false;
}

static void test_route_role_agency_category_matrix(void **state)
{
    struct fixture *f = *state;
    /* Person 3, "Zed Quinn", held by five agencies (records 4-8). */
    testutil_exec(f->s, "INSERT INTO source_file (source, agency, path, sha256, imported_at) "
                        "VALUES ('mx', 'health', 'mx.csv', 'dd', '2026-01-01T00:00:00Z');"
                        "INSERT INTO person (created_at) VALUES ('2026-01-01');");
    const char *holders[] = {"health", "police", "yjs", "education", "csc"};
    int64_t rec_of[5];
    for (int h = 0; h < 5; h++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO record (source, agency, agency_record_id, given_name, family_name, "
                 "dob, norm_given, norm_family, file_id, line) VALUES ('mx-%s', '%s', 'MX-%s', "
                 "'Zed', 'Quinn', '2012-02-02', 'zed', 'quinn', 4, %d);"
                 "INSERT INTO person_record (record_id, person_id) VALUES ((SELECT max(id) "
                 "FROM record), 3)",
                 holders[h], holders[h], holders[h], h + 2);
        testutil_exec(f->s, sql);
        rec_of[h] = q64(f->s, "SELECT max(id) FROM record");
    }
    for (size_t e = 0; e < sizeof mx_events / sizeof mx_events[0]; e++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "INSERT INTO event (source, agency, agency_event_id, record_id, type, subtype, "
                 "started_at, ended_at, file_id, line) VALUES ('mx-%s', '%s', 'MXE%zu', "
                 "(SELECT id FROM record WHERE agency_record_id = 'MX-%s'), '%s', %s%s%s, "
                 "'2026-03-01', '2026-04-01', 4, %zu)",
                 mx_events[e].agency, mx_events[e].agency, e, mx_events[e].agency,
                 mx_events[e].type, mx_events[e].subtype ? "'" : "",
                 mx_events[e].subtype ? mx_events[e].subtype : "NULL",
                 mx_events[e].subtype ? "'" : "", e + 10);
        testutil_exec(f->s, sql);
    }
    /* Every personal-data route is in the table above, and every GET one is exercised. */
    size_t nroutes;
    const struct http_route *routes = http_routes(&nroutes);
    for (size_t i = 0; i < nroutes; i++) {
        if (routes[i].data != ACCESS_DATA_PERSONAL)
            continue;
        bool found = false;
        for (size_t k = 0; k < sizeof personal_routes / sizeof personal_routes[0]; k++)
            found |= !strcmp(personal_routes[k].method, routes[i].method) &&
                     !strcmp(personal_routes[k].pattern, routes[i].pattern);
        if (!found)
            fail_msg("route %s %s reads personal data but is not in the category matrix",
                     routes[i].method, routes[i].pattern);
    }
    /* One user per role and agency. */
    struct session sess[5][6];
    int64_t uid[5][6];
    for (int r = 0; r < 5; r++)
        for (int a = 0; a < 6; a++) {
            enum access_role role;
            struct svp_err err;
            char name[48];
            assert_int_equal(access_role_parse(mx_roles[r], &role, &err), 0);
            snprintf(name, sizeof name, "mx-%s-%s", mx_roles[r], mx_agencies[a]);
            if (access_user_add(f->s, NULL, name, role, mx_agencies[a], "correct horse battery",
                                false, &uid[r][a], &err))
                fail_msg("%s", err.msg);
            sess[r][a] = session_for(f, uid[r][a]);
        }
    size_t checked = 0, risk_reason_shown = 0, risk_reason_withheld = 0;
    for (int phase = 0; phase < 4; phase++) {
        if (phase == 1)
            testutil_exec(f->s, "INSERT INTO person_share (person_id, agency, reason, shared_at) "
                                "SELECT 3, a, 'strategy', '2026-05-01' FROM (SELECT 'csc' AS a "
                                "UNION SELECT 'police' UNION SELECT 'health' UNION SELECT "
                                "'education' UNION SELECT 'yjs' UNION SELECT 'partnership') x");
        if (phase == 2)
            testutil_exec(f->s, "DELETE FROM person_share WHERE person_id = 3;"
                                "INSERT INTO risk_snapshot (saved_at, as_of, weights, children, "
                                "scored, listed) VALUES ('2026-11-01', '2026-11-01', 'x', 1, 1, "
                                "1);"
                                "INSERT INTO risk_snapshot_person (snapshot_id, person_id, rank, "
                                "score, band) VALUES ((SELECT max(id) FROM risk_snapshot), 3, 1, "
                                "50, 'high')");
        if (phase == 3)
            testutil_exec(f->s, "DELETE FROM risk_snapshot_person;"
                                "UPDATE event SET ended_at = NULL WHERE type = 'yj_intervention';"
                                "INSERT INTO event (source, agency, agency_event_id, record_id, "
                                "type, started_at) VALUES ('mx-csc', 'csc', 'MXP', (SELECT id "
                                "FROM record WHERE agency_record_id = 'MX-csc'), 'cp_plan', "
                                "'2026-05-01')");
        for (size_t k = 0; k < sizeof personal_routes / sizeof personal_routes[0]; k++) {
            enum how how = personal_routes[k].how;
            if (how == WRITE_SKIPPED || (phase > 0 && (how == LIST_OTHER || how == PAGE_OTHER)))
                continue;
            bool route_roles_ok[5];
            const struct http_route *rt = NULL;
            for (size_t i = 0; i < nroutes; i++)
                if (!strcmp(routes[i].method, personal_routes[k].method) &&
                    !strcmp(routes[i].pattern, personal_routes[k].pattern))
                    rt = &routes[i];
            assert_non_null(rt);
            for (int r = 0; r < 5; r++) {
                enum access_role role;
                struct svp_err err;
                assert_int_equal(access_role_parse(mx_roles[r], &role, &err), 0);
                route_roles_ok[r] = (rt->roles & (unsigned)role) != 0;
            }
            /* Record pages: health's (special categories) and police's. */
            for (int h = 0; h < (how == PAGE_RECORD ? 2 : 1); h++)
                for (int r = 0; r < 5; r++)
                    for (int a = 0; a < 6; a++) {
                        char path[160], who[256];
                        if (how == PAGE_PERSON)
                            snprintf(path, sizeof path, "/api/v1/persons/3");
                        else if (how == PAGE_OTHER)
                            snprintf(path, sizeof path, "/api/v1/persons/3%s",
                                     strstr(personal_routes[k].pattern, "{id}") + 4);
                        else if (how == PAGE_RECORD)
                            snprintf(path, sizeof path, "/api/v1/records/%lld",
                                     (long long)rec_of[h]);
                        else
                            snprintf(path, sizeof path, "%s%s", personal_routes[k].pattern,
                                     personal_routes[k].query);
                        /* An analyst names people and records by the pseudonyms shown to
                         * them, never by raw ids (docs/sharing.md). */
                        if (!strcmp(mx_roles[r], "analyst") &&
                            (!strcmp(personal_routes[k].pattern, "/api/v1/contexts/network/ego") ||
                             !strcmp(personal_routes[k].pattern, "/api/v1/link/explain"))) {
                            char p1[32], p2[32];
                            struct svp_err perr;
                            bool ego = !strcmp(personal_routes[k].pattern,
                                               "/api/v1/contexts/network/ego");
                            assert_int_equal(access_pseudonym(f->s, ego ? 'P' : 'R', ego ? 3 : 1,
                                                              p1, sizeof p1, &perr),
                                             0);
                            assert_int_equal(access_pseudonym(f->s, 'R', 2, p2, sizeof p2, &perr),
                                             0);
                            if (ego)
                                snprintf(path, sizeof path, "%s?person=%s",
                                         personal_routes[k].pattern, p1);
                            else
                                snprintf(path, sizeof path, "%s?a=%s&b=%s",
                                         personal_routes[k].pattern, p1, p2);
                        }
                        snprintf(who, sizeof who, "phase %d: %s as %s of %s", phase, path,
                                 mx_roles[r], mx_agencies[a]);
                        char countsql[200];
                        snprintf(countsql, sizeof countsql,
                                 "SELECT count(*) FROM audit_log WHERE user_id = %lld",
                                 (long long)uid[r][a]);
                        int64_t before = q64(f->s, countsql);
                        int64_t last_id = q64(f->s, "SELECT coalesce(max(id), 0) FROM audit_log");
                        struct resp resp = request(f, "GET", path, &sess[r][a], NULL, NULL);
                        if (!strcmp(mx_roles[r], "analyst") && strstr(path, "=P-") &&
                            resp.status == 400)
                            fail_msg("%s: an analyst's pseudonym refused: %s", who, resp.body);
                        if (!strcmp(mx_roles[r], "analyst") && strstr(path, "=R-") &&
                            resp.status == 400)
                            fail_msg("%s: an analyst's pseudonym refused: %s", who, resp.body);
                        /* Which of the child's events should this user see here? */
                        bool any = false;
                        for (size_t e = 0; e < sizeof mx_events / sizeof mx_events[0]; e++) {
                            bool in_scope = how != PAGE_RECORD ||
                                            !strcmp(mx_events[e].agency, holders[h]);
                            bool want = in_scope && route_roles_ok[r] &&
                                        mx_expect(mx_roles[r], mx_agencies[a],
                                                  mx_events[e].agency, mx_events[e].cat, phase);
                            /* Visible at all: anything of any holder (the record page: of
                             * this record's person). */
                            for (int hh = 0; hh < 5 && route_roles_ok[r]; hh++)
                                for (int c = 0; c < ACCESS_NCAT; c++)
                                    any |= mx_expect(mx_roles[r], mx_agencies[a], holders[hh], c,
                                                     phase);
                            if (how != PAGE_PERSON && how != PAGE_RECORD)
                                continue;
                            char needle[64];
                            snprintf(needle, sizeof needle, "\"type\":\"%s\"", mx_events[e].type);
                            bool got = resp.status == 200 && strstr(resp.body, needle);
                            if (got != want)
                                fail_msg("%s: %s event (%s of %s) %s, expected %s: %d %s", who,
                                         mx_events[e].type,
                                         access_category_name(mx_events[e].cat),
                                         mx_events[e].agency, got ? "shown" : "not shown",
                                         want ? "shown" : "not shown", resp.status, resp.body);
                            checked++;
                        }
                        if (how == PAGE_OTHER) {
                            /* Another page about one person: the same one check decides. */
                            if (any ? resp.status == 403 || resp.status >= 500
                                    : resp.status != 403)
                                fail_msg("%s: expected %s, got %d: %s", who,
                                         any ? "allowed" : "403", resp.status, resp.body);
                            /* The score's reasons: health's sexual health reason is shown
                             * only to whom the rules show health's sexual health records;
                             * to others it is withheld (points kept, "ask them"). */
                            bool may = mx_expect(mx_roles[r], mx_agencies[a], "health",
                                                 ACCESS_CAT_SEXUAL_HEALTH, phase);
                            bool shows =
                                resp.status == 200 &&
                                strstr(resp.body, "\"indicator\":\"sexual_health\"") != NULL;
                            if (shows && !may)
                                fail_msg("%s: a sexual health reason shown: %s", who, resp.body);
                            risk_reason_shown += shows;
                            risk_reason_withheld +=
                                resp.status == 200 && !may &&
                                strstr(resp.body, "\"withheld\":true") != NULL;
                        } else if (how == PAGE_PERSON || how == PAGE_RECORD) {
                            if (resp.status != (any ? 200 : 403))
                                fail_msg("%s: expected %d, got %d: %s", who, any ? 200 : 403,
                                         resp.status, resp.body);
                            /* Known to: everyone who may open the page sees all five. */
                            if (any && how == PAGE_PERSON && !strstr(resp.body, "\"known_to\""))
                                fail_msg("%s: no known_to line", who);
                        } else if (how == LIST_SEARCH && !strcmp(mx_roles[r], "analyst")) {
                            /* Pseudonymised: no search by name (refused, audited). */
                            if (resp.status != 403 || strstr(resp.body, "Quinn"))
                                fail_msg("%s: an analyst's name search gave %d: %s", who,
                                         resp.status, resp.body);
                        } else if (how == LIST_SEARCH && resp.status == 200) {
                            /* A search looks among the people the agency holds or was
                             * shared (docs/sharing.md): panel-list children are reached from
                             * the panel list, not by search. */
                            bool want = any;
                            if (phase == 2) {
                                want = false;
                                for (int hh = 0; hh < 5; hh++)
                                    for (int c = 0; c < ACCESS_NCAT; c++)
                                        want |= mx_expect(mx_roles[r], mx_agencies[a],
                                                          holders[hh], c, 0);
                            }
                            bool listed = strstr(resp.body, "Quinn") != NULL;
                            if (listed != want)
                                fail_msg("%s: the child %s, expected %s: %s", who,
                                         listed ? "listed" : "not listed",
                                         want ? "listed" : "not", resp.body);
                            snprintf(countsql, sizeof countsql,
                                     "SELECT count(*) FROM audit_log WHERE user_id = %lld AND "
                                     "persons LIKE '%%,p3,%%' AND id > %lld",
                                     (long long)uid[r][a], (long long)last_id);
                            if ((q64(f->s, countsql) > 0) != listed)
                                fail_msg("%s: the audit does not name who was listed", who);
                        } else if (route_roles_ok[r] ? resp.status == 403 || resp.status >= 500
                                                     : resp.status != 403) {
                            fail_msg("%s: expected %d, got %d: %s", who,
                                     route_roles_ok[r] ? 200 : 403, resp.status, resp.body);
                        }
                        /* Every request, allowed or refused, leaves one audit entry. */
                        snprintf(countsql, sizeof countsql,
                                 "SELECT count(*) FROM audit_log WHERE user_id = %lld",
                                 (long long)uid[r][a]);
                        /* (A handler's 4xx for missing data, e.g. nothing linked yet,
                         * shows nothing and writes nothing.) */
                        bool shown_or_refused = resp.status == 200 || resp.status == 403;
                        if (q64(f->s, countsql) != before + (shown_or_refused ? 1 : 0))
                            fail_msg("%s: %lld audit entries written, expected 1 (status %d)",
                                     who, (long long)(q64(f->s, countsql) - before),
                                     resp.status);
                        resp_free(&resp);
                    }
        }
    }
    /* 4 phases x (person page + 2 record pages) x 30 users x 10 events. */
    assert_int_equal(checked, 4 * 3 * 30 * 10);
    /* The reason exists (those allowed see it) and is withheld from the others. */
    if (!risk_reason_shown || !risk_reason_withheld)
        fail_msg("the sexual health reason was shown %zu times and withheld %zu times",
                 risk_reason_shown, risk_reason_withheld);
}

/* "Who saw this child?": page views, list views (search, network) and refusals, all found
 * by the auditor for the one child, and nothing about another child. */

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_route_matrix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_household_need_to_know, setup, teardown),
        cmocka_unit_test_setup_teardown(test_route_role_agency_category_matrix, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("http-matrix", tests, NULL, NULL);
}
