// Browser test of the adult safeguarding page (data made by tests/web-e2e-adults.py).
// usage: node tests/e2e-adults.mjs BASE_URL. Prints TAP; exits 1 if any test fails.
import { a11yViolations, assert, finish, launch, signIn as signInAs, step } from "./harness.mjs";

const base = process.argv[2];
const { context, page } = await launch("svp-e2e-adults-");
const outside = [];
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
console.log("1..11");
const child = process.env.SVP_E2E_CHILD;

const signIn = (user, password) => signInAs(page, base, user, password);

try {
  await step("a panel member opens Adults from the bar and sees the year's collection figures", async () => {
    await signIn("pam.panel", "panel member password");
    await page.click("a[href='#/adults']");
    await page.waitForSelector("#sac-period, #sac .error");
    await page.goto(base + "/#/adults?year=2022");
    await page.waitForFunction(() => (document.querySelector("#sac-period")?.textContent ?? "").includes("2022-04-01"));
    const summary = await page.textContent(".sac-summary");
    assert(summary.includes("Concerns received4"), summary);
    assert(summary.includes("Adults with concerns3"), summary);
    assert(summary.includes("Section 42 enquiries started2 (50.0% of concerns)"), summary);
    assert(summary.includes("Section 42 enquiries concluded1"), summary);
    const age = await page.textContent("#sac-age");
    assert(age.includes("85-941100.0%"), age);
    const result = await page.textContent("#sac-result");
    assert(result.includes("Risk reduced1100.0%"), result);
    const msp = await page.textContent("#sac-msp");
    assert(msp.includes("Partially achieved1100.0%"), msp);
    // aggregate figures only: no adult is named
    const body = await page.textContent("#app");
    assert(!/Marlow|Penn|Hart/.test(body), "a name on the page");
  });

  await step("the year form shows another year", async () => {
    await page.fill("#sac-year", "2023");
    await page.click("form.search button[type=submit]");
    await page.waitForFunction(() => (document.querySelector("#sac-period")?.textContent ?? "").includes("2023-04-01"));
    const summary = await page.textContent(".sac-summary");
    assert(summary.includes("Concerns received0") && summary.includes("Other enquiries started1"), summary);
  });

  await step("no serious or critical accessibility violations (axe-core, WCAG 2.2 AA)", async () => {
    const bad = await a11yViolations(page, "adults");
    assert(bad.length === 0, bad.join(" | "));
  });

  await step("the adult vulnerability list: the cuckooed resident and the young dealer with their reasons", async () => {
    // the panel member (children's social care) holds neither adult: nobody shown to them
    await page.waitForFunction(() => (document.querySelector("#adults-list")?.textContent ?? "").includes("No adult you may see"));
    await page.click("#signout");
    await signIn("ada.admin", "administrator password");
    await page.goto(base + "/#/adults");
    await page.waitForSelector(".adults-list");
    const list = await page.textContent(".adults-list");
    assert(list.includes("Doreen Quill") || list.includes("Quill"), list);
    assert(list.includes("home taken over for drug dealing (cuckooing)"), list);
    assert(list.includes("aged 18-25 in an occurrence at a cuckooed address"), list);
    assert(list.includes("aged 18-25, a suspect, offender or arrested for drug supply"), list);
    // the older dealer scores below the list's threshold (15 points): not listed
    assert(!list.includes("Rook"), list);
    const rows = await page.$$eval(".adults-list tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.length === 2 && rows[0].startsWith("1"), rows.join(" | "));
    const places = await page.textContent(".adults-places");
    assert(places.includes("Flat 2, 9 Mill Row, Oakhurst") && places.includes("SN10 2AA"), places);
  });

  await step("an adult on the list opens their person page", async () => {
    await page.click(".adults-list a.person-link >> nth=0");
    await page.waitForSelector("h1");
    assert(/#\/person\/\d+/.test(page.url()), page.url());
    await page.goBack();
    await page.waitForSelector(".adults-list");
  });

  await step("the contexts page maps the cuckooing events as their own kind", async () => {
    await page.goto(base + "/#/contexts?kinds=cuckooing");
    await page.waitForFunction(() => (document.querySelector("#app")?.textContent ?? "").includes("events placed"));
    assert((await page.$eval("#kinds", (s) => s.value)) === "cuckooing", "kind not chosen");
    const body = await page.textContent("#app");
    assert(body.includes("3 events placed"), body.slice(0, 400));
  });

  await step("a practitioner has no Adults link and is refused the figures", async () => {
    await page.click("#signout");
    await signIn("pat.police", "practitioner password");
    assert(!(await page.$("a[href='#/adults']")), "the link is shown");
    await page.goto(base + "/#/adults?year=2022");
    await page.waitForSelector("#sac .error");
    assert(!(await page.$(".sac-summary")), "figures shown to a practitioner");
    // the list: the adults the police hold, with their reasons; no addresses
    await page.waitForSelector(".adults-list");
    const list = await page.textContent(".adults-list");
    assert(list.includes("Quill") && list.includes("Vance"), list);
    assert(!(await page.$(".adults-places")), "cuckooed addresses shown to a practitioner");
  });

  await step("the child found with a known offender: the alert on the child's page, with its evidence", async () => {
    await page.goto(base + `/#/person/${child}`);
    await page.waitForSelector("#offender-alert");
    const alert = await page.textContent("#offender-alert");
    assert(alert.includes("Linked to a known offender"), alert);
    assert(alert.includes("Rook") && alert.includes("MAPPA level 2") && alert.includes("managed by probation"), alert);
    assert(alert.includes("listed since 2022-06-01") && alert.includes("2023-03-28"), alert);
    assert((await page.getAttribute("#offender-alert", "role")) === "alert", "not announced");
    const bad = await a11yViolations(page, "adults-offender-alert");
    assert(bad.length === 0, bad.join(" | "));
  });

  await step("a health practitioner sees nobody on the list (need to know)", async () => {
    await page.click("#signout");
    await signIn("hal.health", "health practitioner password");
    await page.goto(base + "/#/adults");
    await page.waitForFunction(() => (document.querySelector("#adults-list")?.textContent ?? "").includes("No adult you may see"));
    const body = await page.textContent("#adults-list");
    assert(!/Quill|Vance|Mill Row/.test(body), body);
  });

  await step("the child's page and its alert are refused to health (need to know)", async () => {
    await page.goto(base + `/#/person/${child}`);
    await page.waitForSelector("#app .error");
    assert(!(await page.$("#offender-alert")), "the alert shown to health");
    const body = await page.textContent("#app");
    assert(!/Rook|MAPPA/.test(body), body);
  });

  await step("nothing loaded from outside svp", async () => {
    assert(outside.length === 0, outside.join(" | "));
  });
} finally {
  await finish(context);
}
