// Browser test of the adult safeguarding page (data made by tests/web-e2e-adults.py).
// usage: node tests/e2e-adults.mjs BASE_URL. Prints TAP; exits 1 if any test fails.
import { a11yViolations, assert, finish, launch, signIn as signInAs, step } from "./harness.mjs";

const base = process.argv[2];
const { context, page } = await launch("svp-e2e-adults-");
const outside = [];
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
console.log("1..5");

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

  await step("a practitioner has no Adults link and is refused the figures", async () => {
    await page.click("#signout");
    await signIn("pat.police", "practitioner password");
    assert(!(await page.$("a[href='#/adults']")), "the link is shown");
    await page.goto(base + "/#/adults?year=2022");
    await page.waitForSelector("#sac .error");
    assert(!(await page.$(".sac-summary")), "figures shown to a practitioner");
  });

  await step("nothing loaded from outside svp", async () => {
    assert(outside.length === 0, outside.join(" | "));
  });
} finally {
  await finish(context);
}
