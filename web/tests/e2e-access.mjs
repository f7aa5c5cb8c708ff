// Browser tests of need-to-know (issue 16): a school practitioner, an analyst and an auditor
// against a running svp serve (data and users made by tests/web-e2e-access.py).
// usage: node tests/e2e-access.mjs BASE_URL      Prints TAP; exits 1 if any test fails.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = process.argv[2];
const profile = mkdtempSync(join(tmpdir(), "svp-e2e-access-"));
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
page.on("console", (m) => {
  if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
});
page.setDefaultTimeout(10000);

async function signIn(user, password) {
  await page.goto(base + "/#/login");
  await page.waitForSelector("#login");
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  await page.waitForFunction((u) => (document.querySelector("#who")?.textContent ?? "").includes(u), user);
}

async function signOut() {
  await page.click("#signout");
  await page.waitForSelector("#login");
}

console.log("1..5");
try {
  await step("a school practitioner sees the school's records, not the clinic's event, and 'known to health'", async () => {
    await signIn("sam.school", "school practitioner password");
    await page.goto(base + "/#/persons");
    await page.waitForSelector("#results table");
    const rows = await page.$$eval("#results tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.length === 1 && rows[0].includes("Okafor"), rows.join(" | "));
    assert(!rows.some((r) => r.includes("H100") || r.includes("Health")), "the clinic's record is listed: " + rows.join(" | "));
    await page.click("#results a.person-link");
    await page.waitForSelector("#chronology li");
    const items = await page.$$eval("#chronology li", (lis) => lis.map((l) => l.textContent));
    assert(items.length === 1 && items[0].includes("exclusion"), items.join(" | "));
    const main = await page.textContent("main");
    assert(!/sexual health|pregnancy/i.test(main), "the clinic's event shows: " + main);
    assert(!main.includes("H100") && !main.includes("clinic.csv"), "the clinic's record shows");
    const known = await page.textContent("#known-to-line");
    assert(known.includes("Health") && known.includes("Education") && known.includes("ask them"), known);
    assert((await page.textContent("#withheld-note")).startsWith("1 events"), await page.textContent("#withheld-note"));
  });

  await step("refused a child the school does not know, they break glass with a reason and see the record, for a time", async () => {
    await page.goto(base + "/#/person/2");
    await page.waitForSelector(".error");
    assert((await page.getAttribute(".error", "data-status")) === "403", "not a 403");
    assert(!(await page.textContent("main")).includes("Brien"), "the refused page shows the name");
    await page.waitForSelector("#glass-form");
    const reasons = await page.$$eval("#glass-reason option", (os) => os.map((o) => o.value));
    assert(reasons.includes("immediate_risk") && reasons.includes("missing_high_risk"), reasons.join(","));
    // Too few words of their own are refused, and nothing opens.
    await page.selectOption("#glass-reason", "immediate_risk");
    await page.$eval("#glass-text", (t) => t.removeAttribute("minlength"));
    await page.fill("#glass-text", "urgent");
    await page.click("#glass-submit");
    await page.waitForSelector("#glass-msg .error");
    await page.fill("#glass-text", "Aoife disclosed at school today that she is being harmed");
    await page.selectOption("#glass-minutes", "30");
    await page.click("#glass-submit");
    await page.waitForSelector("#glass-banner");
    const name = await page.textContent("#person-name");
    assert(name.includes("Brien"), name);
    const items = await page.$$eval("#chronology li", (lis) => lis.map((l) => l.textContent));
    assert(items.some((t) => t.includes("missing episode")), items.join(" | "));
    await signOut();
  });

  await step("an analyst cannot recover a name: pseudonyms only, no name search, a purpose lifts nothing", async () => {
    await signIn("ana.analyst", "analyst password here");
    await page.goto(base + "/#/persons");
    await page.waitForSelector("#results table");
    let text = await page.textContent("main");
    assert(/P-[0-9A-F]{10}/.test(text), "no pseudonym shown: " + text);
    assert(!/Okafor|Jayden|Brien|Aoife|S100|H100|N300|AB1 2CD/.test(text), "a name or id shows: " + text);
    // One pseudonym per person: the school's and the clinic's records of the child agree.
    const names = await page.$$eval("#results tbody tr .pseudonym", (s) => s.map((x) => x.textContent));
    assert(names.length === 3 && new Set(names).size === 2, names.join(","));
    // A search by name is refused, and says why.
    await page.goto(base + "/#/persons?q=okafor");
    await page.waitForSelector("#results .error");
    text = await page.textContent("#results");
    assert(text.includes("cannot search by name"), text);
    assert(!text.includes("Okafor"), text);
    // A purpose from the partnership's list is recorded and shows no more.
    await page.fill("#purpose", "needs_analysis");
    await page.press("#purpose", "Enter");
    await page.goto(base + "/#/persons");
    await page.waitForSelector("#results table");
    text = await page.textContent("main");
    assert(!/Okafor|Jayden|Brien|Aoife/.test(text), "a purpose revealed a name: " + text);
    // No re-identification for analysts, and raw ids give nothing.
    const status = await page.evaluate(async () => {
      const s = await (await fetch("/api/v1/session")).json();
      const r = await fetch("/api/v1/reidentify", { method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": s.csrf }, body: JSON.stringify({ pseudonym: "P-0000000000", reason: "I would like to know" }) });
      const p = await fetch("/api/v1/persons/1");
      return [r.status, (await p.text()).includes("Okafor")];
    });
    assert(status[0] === 403 && status[1] === false, JSON.stringify(status));
    await page.fill("#purpose", "");
    await page.press("#purpose", "Enter");
    await signOut();
  });

  await step("an auditor finds every view of one child: page views, list views, searches, refusals and break glass", async () => {
    await signIn("aud.auditor", "auditor password");
    await page.waitForSelector("#audit table");
    await page.fill("#who-person", "1");
    await page.click("#who-form button");
    await page.waitForSelector("#who-saw table");
    let seen = await page.$$eval("#who-saw tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(seen.some((r) => r.includes("sam.school") && r.includes("view") && r.includes("person:1")), "the page view is missing: " + seen.join(" | "));
    assert(seen.some((r) => r.includes("sam.school") && r.includes("search")), "the school's list that showed the child is missing: " + seen.join(" | "));
    assert(seen.some((r) => r.includes("ana.analyst") && r.includes("search")), "the analyst's list is missing: " + seen.join(" | "));
    await page.fill("#who-person", "2");
    await page.click("#who-form button");
    await page.waitForFunction(() => (document.querySelector("#who-saw p")?.textContent ?? "").includes("person 2"));
    seen = await page.$$eval("#who-saw tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(seen.some((r) => r.includes("sam.school") && r.includes("refused")), "the refusal is missing: " + seen.join(" | "));
    assert(seen.some((r) => r.includes("sam.school") && r.includes("break-glass")), "the break glass is missing: " + seen.join(" | "));
    assert(seen.some((r) => r.includes("sam.school") && r.includes("view") && r.includes("break glass")), "the view under break glass is missing: " + seen.join(" | "));
  });

  await step("the auditor reviews each break-glass use: who, whose records, the reason and their words", async () => {
    await page.waitForSelector("#glass-uses table");
    const rows = await page.$$eval("#glass-uses tbody tr", (trs) => trs.map((t) => t.textContent));
    assert(rows.length === 1, rows.join(" | "));
    assert(rows[0].includes("sam.school") && rows[0].includes("person:2") && rows[0].includes("immediate_risk") && rows[0].includes("disclosed at school"), rows[0]);
    assert(violations.length === 0, violations.join(" | "));
    await signOut();
  });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`# ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
