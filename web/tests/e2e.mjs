// Browser tests: Debian's Chromium driven by playwright-core against a running svp serve.
// usage: node tests/e2e.mjs BASE_URL   (users and data made by tests/web-e2e.py)
// Prints TAP; exits 1 if any test fails.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = process.argv[2];
const profile = mkdtempSync(join(tmpdir(), "svp-e2e-"));
let failed = 0;
let n = 0;

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok ${++n} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${++n} - ${name}`);
    for (const line of String(e && e.stack ? e.stack : e).split("\n").slice(0, 6)) console.log(`# ${line}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
const page = context.pages()[0] ?? (await context.newPage());
const violations = [];
const outside = [];
page.on("console", (m) => {
  if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
});
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
page.setDefaultTimeout(10000);
console.log("1..18");

try {
  await step("sign in as a practitioner", async () => {
    await page.goto(base + "/");
    await page.fill("#username", "pat.police");
    await page.fill("#password", "practitioner password");
    await page.click("#login button[type=submit]");
    await page.waitForSelector("#panel p");
    const who = await page.textContent("#who");
    assert(who.includes("pat.police") && who.includes("practitioner"), `signed in as ${who}`);
  });

  await step("read the panel list with the reasons behind each rank", async () => {
    await page.waitForSelector("#panel table");
    const rows = await page.$$eval("#panel tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.length >= 1 && rows[0].includes("Okafor"), rows.join(" | "));
    assert(rows[0].includes("exploitation screening") || rows[0].includes("exploitation_screening"), rows[0]);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "panel.png"), fullPage: true });
    await page.click("a[href='#/persons']");
    await page.waitForSelector("#results table");
  });

  await step("read the list of people the agency holds", async () => {
    const rows = await page.$$eval("#results tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.length === 2, `expected 2 rows, saw ${rows.length}: ${rows.join(" | ")}`);
    assert(rows.every((r) => r.includes("Okafor")), `rows: ${rows.join(" | ")}`);
    assert(!rows.some((r) => r.includes("Brien")), "a person outside the agency is listed");
  });

  await step("open a person: one chronology, the agency behind every event", async () => {
    await page.click("#results a.person-link");
    await page.waitForSelector("#chronology li");
    const items = await page.$$eval("#chronology li", (lis) => lis.map((l) => l.textContent));
    assert(items.length === 6, `expected 6 events, saw ${items.length}`);
    assert(items.some((t) => t.includes("Police") && t.includes("missing episode")), items.join(" | "));
    assert(items.some((t) => t.includes("Health") && t.includes("ed attendance")), items.join(" | "));
    const name = await page.textContent("#person-name");
    assert(name.includes("Okafor"), `heading ${name}`);
    // Newest first, with each event's recorded values.
    assert(items[0].includes("2026-11-01") && items[0].includes("nrm referral"), items[0]);
  });

  await step("a person's score, rank and band, reasons in plain words linked to the record, and a filtered chronology", async () => {
    await page.waitForSelector("#risk-rank");
    const rank = await page.textContent("#risk-rank");
    assert(/^1 of \d+ children scored as of 2026-11-01/.test(rank), rank);
    const score = await page.textContent("#risk-score");
    assert(/^\d+\.\d (high|medium|low)$/.test(score.trim()), score);
    const reasons = await page.$$eval("#reasons li", (lis) => lis.map((l) => l.textContent));
    assert(reasons.some((r) => r.includes("exploitation screening: high risk")), reasons.join(" | "));
    assert(reasons.some((r) => r.includes("referred to the National Referral Mechanism")), reasons.join(" | "));
    assert(!reasons.some((r) => /[a-z]+_[a-z]+/.test(r)), "a raw indicator code is shown: " + reasons.join(" | "));
    assert((await page.textContent("#known-to")).includes("Police"), "known-to misses police");
    // A reason's link opens the chronology at its event.
    const link = await page.$("#reasons a.to-event");
    const ev = await link.getAttribute("data-event");
    await link.click();
    await page.waitForSelector(`#event-${ev}.focus`);
    assert(await page.$eval(`#event-${ev}`, (li) => document.activeElement === li), "the event is not focused");
    // Filters: one agency, then one kind.
    await page.selectOption("#chrono-agency", "health");
    let shown = await page.$$eval("#chronology li:not([hidden])", (lis) => lis.map((l) => l.textContent));
    assert(shown.length === 1 && shown[0].includes("ed attendance"), shown.join(" | "));
    await page.selectOption("#chrono-agency", "");
    await page.selectOption("#chrono-kind", "missing_episode");
    shown = await page.$$eval("#chronology li:not([hidden])", (lis) => lis.map((l) => l.textContent));
    assert(shown.length === 2 && (await page.textContent("#chrono-count")).startsWith("2 of 6"), shown.join(" | "));
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "person.png"), fullPage: true });
  });

  await step("be refused a person outside one's agency", async () => {
    await page.goto(base + "/#/person/2");
    await page.waitForSelector(".error");
    const msg = await page.textContent(".error");
    assert(msg.includes("not known to your agency"), `message: ${msg}`);
    assert((await page.getAttribute(".error", "data-status")) === "403", "not a 403");
    const body = await page.textContent("main");
    assert(!body.includes("Brien"), "refused page shows the name");
  });

  await step("read the statutory clocks", async () => {
    await page.click("a[href='#/clocks']");
    await page.waitForSelector("#clocks p.note");
    const text = await page.textContent("#clocks");
    assert(text.includes("Working days exclude weekends"), text);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "clocks.png"), fullPage: true });
  });

  await step("see a chart of clock compliance by month (or why there is none)", async () => {
    await page.waitForSelector("#clock-periods canvas, #clock-periods p");
    const canvas = await page.$("#clock-periods canvas");
    const text = await page.textContent("#clock-periods");
    assert(canvas || text.includes("nothing to chart"), text);
  });

  await step("clocks are as of the data's latest day, with what falls due per child and one chart per rule", async () => {
    const asOf = await page.textContent("#clocks-as-of");
    assert(asOf.includes("as of 2026-11-01 (the latest day in the data)"), asOf);
    await page.waitForSelector("#clocks-due h2");
    // The referral of 2025-12-01 needs a decision within one working day: due that week.
    await page.goto(base + "/#/clocks?as_of=2025-12-01");
    await page.waitForFunction(() => (document.querySelector("#clocks-due h2")?.textContent ?? "").includes("2025-12-01"));
    const due = await page.textContent("#clocks-due");
    assert(due.includes("Due this week: 2025-12-01 to 2025-12-08"), due);
    assert(due.includes("decision on a referral") && due.includes("2025-12-02"), due);
    assert(await page.$("#clocks-due a[href='#/person/2']"), "the child is not linked");
    assert((await page.inputValue("#as-of")) === "2025-12-01", "the chosen day is not kept");
    await page.goto(base + "/#/clocks");
    await page.waitForSelector("#clock-multiples figure canvas");
    const cap = await page.textContent("#clock-multiples figure figcaption");
    assert(cap.includes("decision on a referral"), cap);
    // Unticking a rule takes its chart away.
    const before = (await page.$$("#clock-multiples figure")).length;
    await page.click("#rule-referral_decision");
    assert((await page.$$("#clock-multiples figure")).length === before - 1, "the chart stayed");
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "clocks.png"), fullPage: true });
  });

  await step("the network shows only the people one's agency holds", async () => {
    await page.click("a[href='#/network']");
    await page.waitForSelector("#network h2");
    assert(await page.$("#graph canvas"), "no network drawn");
    const text = await page.textContent("#network");
    assert(text.includes("Okafor"), text);
    assert(!text.includes("Brien"), "a person outside the agency is in the network");
    assert((await page.textContent("#net-hidden")).includes("1 people"), "hidden count missing");
  });

  await step("see one's own views in the audit log", async () => {
    await page.click("a[href='#/audit']");
    await page.waitForSelector("#audit table");
    const rows = await page.$$eval("#audit tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.some((r) => r.includes("view") && r.includes("person:1")), rows.join(" | "));
    assert(rows.some((r) => r.includes("search")), rows.join(" | "));
  });

  await step("sign out ends the session", async () => {
    await page.click("#signout");
    await page.waitForSelector("#login");
    const status = await page.evaluate(async () => (await fetch("/api/v1/session")).status);
    assert(status === 401, `session still answers ${status}`);
  });

  async function signIn(user, password) {
    await page.goto(base + "/#/login");
    await page.waitForSelector("#login");
    await page.fill("#username", user);
    await page.fill("#password", password);
    await page.click("#login button[type=submit]");
  }

  await step("an administrator must replace a one-time password, then manages users and sees the hotspot map", async () => {
    await signIn("ada.admin", "one time password 1");
    await page.waitForSelector("#new-password");
    await page.fill("#old-password", "one time password 1");
    await page.fill("#new-password", "ada's own password");
    await page.click("form button[type=submit]");
    await page.waitForSelector("#panel p");
    await page.click("a[href='#/users']");
    await page.waitForSelector("#users table");
    await page.fill("#new-username", "new.starter");
    await page.selectOption("#new-role", "practitioner");
    await page.selectOption("#new-agency", "health");
    await page.click("form.inline button[type=submit]");
    await page.waitForSelector("#user-msg .ok");
    const msg = await page.textContent("#user-msg");
    assert(/One-time password: [a-z0-9]{20}/.test(msg), msg);
    const rows = await page.$$eval("#users tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.some((r) => r.includes("new.starter") && r.includes("one-time password")), rows.join(" | "));
    await page.click("a[href='#/review']");
    // The page shows "Loading…" first: wait for the queue itself.
    await page.waitForFunction(() => /waiting|Nothing to review|error/.test(document.querySelector("#review")?.textContent ?? ""));
    const review = await page.textContent("#review");
    assert(/1 pair waiting/.test(review), review);
    // "Why?" shows the comparison table behind the probability, as `svp link explain` does.
    await page.click("#review button:text('Why?')");
    await page.waitForSelector("#review table.explain");
    const why = await page.textContent("#review .why");
    assert(why.includes("shared identifier") && why.includes("Probability of the same person"), why);
    await page.click("a[href='#/contexts']");
    await page.waitForSelector("#hotspots p.note");
    assert(await page.$("#map.leaflet-container"), "no map drawn");
    const note = await page.textContent("#hotspots");
    assert(/events placed|too few/i.test(note), note);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "contexts.png"), fullPage: true });
  });

  await step("an administrator sees the peer group in the network and the missing trend chart", async () => {
    await page.click("a[href='#/network']");
    await page.waitForSelector("#network table.groups");
    assert(await page.$("#graph canvas"), "no network drawn");
    const groups = await page.textContent("#network table.groups");
    assert(groups.includes("Okafor") && groups.includes("Brien"), groups);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "network.png"), fullPage: true });
    await page.click("a[href='#/trends']");
    await page.waitForSelector("#trends p.note");
    assert(await page.$("#trend-chart"), "no trend chart");
    const note = await page.textContent("#trends");
    assert(/2 missing episodes/.test(note), note);
    assert(note.includes("North"), note);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "trends.png"), fullPage: true });
  });

  await step("an administrator reads the case review register and the learning tracker", async () => {
    await page.click("a[href='#/reviews']");
    await page.waitForSelector("#reviews section.review");
    const review = await page.textContent("#reviews");
    assert(review.includes("RR-7") && review.includes("Child G"), review);
    assert(review.includes("1 deadline overdue, 1 met late"), review);
    await page.click("a[href='#/learning']");
    await page.waitForSelector("#learning table.overdue");
    const overdue = await page.textContent("#learning table.overdue");
    assert(overdue.includes("RR-7/R1/A1") && overdue.includes("2026-09-01"), overdue);
    const recs = await page.textContent("#learning");
    assert(recs.includes("Share missing episodes with schools") && recs.includes("(overdue)"), recs);
    if (process.env.SVP_E2E_SHOTS) await page.screenshot({ path: join(process.env.SVP_E2E_SHOTS, "learning.png"), fullPage: true });
  });

  await step("an administrator adds a review (a bad one is refused) and closes an action", async () => {
    await page.click("a[href='#/reviews']");
    await page.waitForSelector("#review-form");
    await page.fill("#rv-ref", "RR-9");
    await page.selectOption("#rv-kind", "lcspr");
    await page.fill("#rv-awareness", "2026-10-02");
    await page.fill("#rv-notification", "2026-10-01");
    await page.click("#review-form button[type=submit]");
    await page.waitForSelector("#review-msg .error");
    const refused = await page.textContent("#review-msg");
    assert(/notification/.test(refused), refused);
    assert(!(await page.textContent("#reviews")).includes("RR-9"), "a refused review was stored");
    await page.fill("#rv-notification", "2026-10-05");
    await page.click("#review-form button[type=submit]");
    await page.waitForSelector("#review-msg .ok");
    assert((await page.textContent("#reviews")).includes("RR-9"), "the new review is not listed");
    await page.click("a[href='#/learning']");
    await page.waitForSelector("button[data-ref='RR-7/R1/A1']");
    await page.click("button[data-ref='RR-7/R1/A1']");
    await page.waitForSelector("#learning-msg .ok");
    const text = await page.textContent("#learning");
    assert(text.includes("No action is overdue"), text);
    await page.click("#signout");
    await page.waitForSelector("#login");
  });

  await step("an auditor sees everyone's views and verifies the chain", async () => {
    await signIn("aud.auditor", "auditor password");
    await page.waitForSelector("#audit table");
    const rows = await page.$$eval("#audit tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.some((r) => r.includes("pat.police") && r.includes("person:1")), rows.join(" | "));
    assert(rows.some((r) => r.includes("ada.admin") && r.includes("change")), rows.join(" | "));
    await page.click("#verify-button");
    await page.waitForSelector("#verify p");
    const v = await page.textContent("#verify");
    assert(v.includes("intact"), v);
    assert(!(await page.$("a[href='#/persons']")), "an auditor is offered the people pages");
    await page.click("#signout");
    await page.waitForSelector("#login");
  });

  await step("no Content-Security-Policy violations and nothing loaded from outside", async () => {
    assert(violations.length === 0, violations.join(" | "));
    assert(outside.length === 0, outside.join(" | "));
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
