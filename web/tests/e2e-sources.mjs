// Browser test of the Sources page (data made by tests/web-e2e-sources.py).
// usage: node tests/e2e-sources.mjs BASE_URL. Prints TAP; exits 1 if any test fails.
import { a11yViolations, assert, finish, launch, signIn as signInAs, step } from "./harness.mjs";

const base = process.argv[2];
const { context, page } = await launch("svp-e2e-sources-");
const outside = [];
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
console.log("1..10");
const signIn = (user, password) => signInAs(page, base, user, password);

try {
  await step("an analyst opens Sources from the bar: each file imported, with rows accepted and rejected", async () => {
    await signIn("ann.analyst", "analyst password");
    await page.click("a[href='#/sources']");
    await page.waitForSelector("#sources-files");
    const files = await page.textContent("#sources-files");
    assert(files.includes("asc_concerns.csv") && files.includes("asc-concerns"), files);
    const row = await page.$$eval("#sources-files tbody tr", (trs) => trs.map((t) => [...t.children].map((c) => c.textContent)));
    assert(row.length === 1, JSON.stringify(row));
    // read 4, accepted 3 (all new), rejected 1 (a concern received on a 13th month)
    assert(JSON.stringify(row[0].slice(4)) === JSON.stringify(["4", "3", "3", "0", "0", "1", "0"]), JSON.stringify(row[0]));
    const counts = await page.textContent("#sources-counts");
    assert(counts.includes("asc-concerns"), counts);
    const total = await page.textContent("#sources-total");
    assert(total.includes("3 records") && total.includes("5 events"), total); // 3 concerns, 2 enquiries
    const profiles = await page.textContent("#sources-profiles");
    assert(profiles.includes("police-missing") && profiles.includes("asc-concerns"), profiles);
  });

  await step("a GP extract in a layout svp does not ship drafts a profile", async () => {
    await page.setInputFiles("#draft-file", process.env.SVP_E2E_GP);
    await page.fill("#draft-name", "gp-register");
    await page.click("#draft-go");
    await page.waitForSelector("#draft-report, #draft-out .error");
    const summary = await page.textContent("#draft-summary");
    assert(summary.includes("8 rows and 7 columns"), summary);
    const report = await page.textContent("#draft-report");
    assert(report.includes("gp_register.tsv: Windows-1252, tab separated, CRLF line ends"), report);
    assert(report.includes("a postcode in 8 values"), report);
    // the report names no one: counts and codes only
    assert(!/Kayla|DUNN|OKAFOR|Se\u00e1n|943 476|Church Road|SV12/i.test(report), report);
    const profile = await page.inputValue("#draft-profile");
    for (const line of [
      "name = gp-register",
      "encoding = windows-1252",
      "delimiter = tab",
      "full_name = Patient | any_order | required",
      "postcode = Address | postcode",
      "type = Code Description | map code_description_type",
      "Child sexual exploitation = exploitation_concern",
      "Domestic abuse in household = da_incident",
    ])
      assert(profile.includes(line + "\n"), `${line} not in ${profile}`);
  });

  await step("the draft can be edited and saved as a file", async () => {
    await page.fill("#draft-profile", (await page.inputValue("#draft-profile")).replace("agency = health", "agency = health\n# edited"));
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#draft-save")]);
    assert(download.suggestedFilename() === "gp-register.profile", download.suggestedFilename());
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const text = readFileSync(path, "utf-8");
    assert(text.includes("# edited") && text.includes("[map code_description_type]"), text);
  });

  await step("an Excel workbook drafts from the sheet named", async () => {
    await page.setInputFiles("#draft-file", process.env.SVP_E2E_XLSX);
    await page.fill("#draft-name", "");
    await page.fill("#draft-sheet", "Data");
    await page.click("#draft-go");
    await page.waitForFunction(() => (document.querySelector("#draft-report")?.textContent ?? "").includes("an Excel workbook"));
    const report = await page.textContent("#draft-report");
    assert(report.includes("two-sheets.xlsx: an Excel workbook, sheet 'Data'; 3 columns, 2 rows read"), report);
    const profile = await page.inputValue("#draft-profile");
    assert(profile.includes("sheet = Data\n"), profile);
    await page.fill("#draft-sheet", "");
  });

  await step("the register saved as Excel's Unicode Text (UTF-16) drafts the same columns", async () => {
    await page.setInputFiles("#draft-file", process.env.SVP_E2E_GP16);
    await page.click("#draft-go");
    await page.waitForFunction(() => (document.querySelector("#draft-report")?.textContent ?? "").includes("gp_register_unicode.txt"));
    const report = await page.textContent("#draft-report");
    assert(report.includes("gp_register_unicode.txt: UTF-16 (little-endian) with a byte order mark, tab separated, CRLF line ends"), report);
    const profile = await page.inputValue("#draft-profile");
    assert(profile.includes("[map code_description_type]") && !profile.includes("encoding ="), profile);
  });

  await step("an extract with no rows is refused with the reason", async () => {
    await page.setInputFiles("#draft-file", process.env.SVP_E2E_EMPTY);
    await page.click("#draft-go");
    await page.waitForSelector("#draft-out .error");
    const err = await page.textContent("#draft-out .error");
    assert(/no rows/.test(err), err);
  });

  await step("no serious or critical accessibility violations (axe-core, WCAG 2.2 AA)", async () => {
    const bad = await a11yViolations(page, "sources");
    assert(bad.length === 0, bad.join(" | "));
  });

  await step("the draft is in the analyst's own activity", async () => {
    await page.click("a[href='#/audit']");
    await page.waitForFunction(() => (document.querySelector("#app")?.textContent ?? "").includes("profile:draft"));
  });

  await step("a practitioner has no Sources page (not in the bar, refused by the server)", async () => {
    await page.click("#signout");
    await signIn("pat.police", "practitioner password");
    await page.waitForSelector("nav a");
    assert(!(await page.$("a[href='#/sources']")), "Sources in a practitioner's bar");
    await page.goto(base + "/#/sources");
    await page.waitForSelector("#app .error");
    const body = await page.textContent("#app");
    assert(!body.includes("asc_concerns.csv"), body);
  });

  await step("nothing loaded from outside svp", async () => {
    assert(outside.length === 0, outside.join(" | "));
  });
} finally {
  await finish(context);
}
