// Browser test of the core dataset dashboard (data made by tests/web-e2e-report.py).
// usage: SVP_E2E_EXPECTED=JSON node tests/e2e-report.mjs BASE_URL. Prints TAP; exits 1 on a failure.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { assert, finish, launch, step } from "./harness.mjs";
import { zipEntry } from "./zip.mjs";

const base = process.argv[2];
const expected = JSON.parse(process.env.SVP_E2E_EXPECTED);
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const { context, page } = await launch("svp-e2e-report-");
const outside = [];
const csp = [];
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
page.on("console", (m) => {
  if (/Content Security Policy|Refused to/.test(m.text())) csp.push(m.text());
});
page.setDefaultTimeout(20000);
console.log("1..8");

async function signIn(user) {
  await page.goto(base + "/");
  await page.fill("#username", user);
  await page.fill("#password", "practitioner password");
  await page.click("#login button[type=submit]");
  await page.waitForSelector("a[href='#/dataset']");
}

function shown(id) {
  const e = expected[id];
  if (!e.available) return "not available";
  if (e.value === null) return "none in period";
  return null;
}

try {
  await step("a children's social care practitioner opens the dataset from the bar", async () => {
    await signIn("cara.csc");
    await page.click("a[href='#/dataset']");
    await page.waitForSelector("#value-lac");
    await page.goto(base + "/#/dataset?period=2022-23");
    await page.waitForFunction(() => (document.querySelector("#dataset .note")?.textContent ?? "").startsWith("2022-23"));
  });

  await step("every figure shows the value `svp report dataset` computes", async () => {
    for (const [id, e] of Object.entries(expected)) {
      const text = (await page.textContent(`#value-${id}`)).trim();
      const word = shown(id);
      if (word) assert(text.startsWith(word), `${id}: shows ${text}, expected ${word}`);
      else if (id.endsWith("_pct")) assert(text.startsWith(`${e.value.toFixed(1)}%`) && text.includes(`${e.numerator} of ${e.denominator}`), `${id}: shows ${text}, expected ${JSON.stringify(e)}`);
      else if (id.endsWith("_rate")) assert(text.startsWith(`${e.value.toFixed(1)} per 10,000`), `${id}: shows ${text}`);
      else assert(text === e.value.toLocaleString("en-GB"), `${id}: shows ${text}, expected ${e.value}`);
    }
    const eh = await page.textContent("#value-early_help");
    assert(eh.includes("not available"), `early help shows ${eh}`);
  });

  await step("charts by quarter and by year, benchmark lines and exceptions", async () => {
    const bars = await page.$$eval("#theme-referrals svg", (s) => s.length);
    assert(bars >= 10, `${bars} charts in the referrals theme`);
    const quarters = await page.$$eval("#theme-referrals tbody tr:nth-child(2) td:nth-child(3) svg text.l", (t) => t.map((x) => x.textContent));
    assert(quarters.join(",") === "Apr-Jun 2022,Jul-Sep 2022,Oct-Dec 2022,Jan-Mar 2023", quarters.join(","));
    const rr = await page.textContent("#theme-referrals");
    assert(rr.includes("below England's 22.0% (2016-17)"), "no England benchmark line");
    assert(await page.$("#exceptions li"), "no exceptions list");
  });

  await step("drill-down: the children looked after, each linking to their page", async () => {
    await page.click("#drill-lac");
    await page.waitForSelector("#drill table.drill");
    const links = await page.$$eval("#drill a", (as) => as.map((a) => a.getAttribute("href")));
    assert(links.length === expected.lac.numerator, `${links.length} children listed, figure ${expected.lac.numerator}`);
    assert(links.every((l) => /^#\/(person|record)\/\d+$/.test(l)), JSON.stringify(links.slice(0, 3)));
    await page.click("#drill a");
    await page.waitForURL(/#\/(person|record)\/\d+/);
  });

  await step("the XLSX export has a sheet per theme", async () => {
    const bytes = await page.evaluate(async () => {
      const r = await fetch("/api/v1/report/export?format=xlsx&period=2022-23", { credentials: "same-origin" });
      return Array.from(new Uint8Array(await r.arrayBuffer()));
    });
    const wb = zipEntry(Buffer.from(bytes), "xl/workbook.xml").toString();
    assert(wb.includes('name="Children looked after"') && wb.includes('name="Contents"'), wb.slice(0, 300));
    // the theme whose title Excel would refuse (a colon) has its sheet too
    assert(wb.includes('name="The partnership- training, audi"'), wb);
  });

  await step("a health practitioner sees the figures but not the children's social care children", async () => {
    await page.click("#signout");
    await page.waitForSelector("#login");
    await signIn("hana.health");
    await page.goto(base + "/#/dataset?period=2022-23");
    await page.waitForSelector("#value-lac");
    await page.click("#drill-lac");
    await page.waitForSelector("#drill table.drill");
    const note = await page.textContent("#drill .note");
    assert(note.startsWith("0 children") && note.includes(`${expected.lac.numerator} more are held`), note);
    assert((await page.$$("#drill a")).length === 0, "a withheld child is listed");
  });

  await step("an analyst's exploitation hotspots say what most of each cell's events were, as the server does", async () => {
    await page.click("#signout");
    await page.waitForSelector("#login");
    await signIn("ana.analyst");
    await page.goto(base + "/#/contexts?kinds=exploitation");
    await page.waitForSelector("#hotspots table");
    assert((await page.$eval("#kinds", (e) => e.value)) === "exploitation", "the kind asked for is not the one chosen");
    const heads = await page.$$eval("#hotspots table th", (ths) => ths.map((t) => t.textContent));
    const col = heads.indexOf("Mostly");
    assert(col >= 0, heads.join(" | "));
    const got = await page.$$eval("#hotspots table tbody tr", (trs, c) => trs.map((tr) => tr.children[c].textContent), col);
    const api = await page.evaluate(async () => (await fetch("/api/v1/contexts/hotspots?kinds=exploitation", { credentials: "same-origin" })).json());
    const want = api.features
      .filter((f) => f.properties.layer !== "density" && f.properties.significant)
      .sort((a, b) => (b.properties.z ?? 0) - (a.properties.z ?? 0))
      .map((f) => f.properties.mostly ?? "");
    assert(got.length > 0 && JSON.stringify(got) === JSON.stringify(want), `page ${JSON.stringify(got)} server ${JSON.stringify(want)}`);
    assert(got.includes("exploitation"), JSON.stringify(got));
  });

  await step("no accessibility violations (axe-core, WCAG 2.2 AA), nothing from outside, no CSP refusal", async () => {
    await page.evaluate(axeSource);
    const res = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }));
    const bad = res.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((x) => x.target.join(" ")).join(", ")}`);
    assert(bad.length === 0, bad.join("; "));
    assert(outside.length === 0, "requests outside svp: " + outside.join(" "));
    assert(csp.length === 0, csp.join(" "));
  });
} finally {
  await finish(context);
}
