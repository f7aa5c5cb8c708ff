// Browser test of the person page's household (Think Family) section (data made by
// tests/web-e2e-household.py). usage: node tests/e2e-household.mjs BASE_URL. Prints TAP.
import { a11yViolations, assert, finish, launch, signIn as signInAs, step } from "./harness.mjs";

const base = process.argv[2];
const { context, page } = await launch("svp-e2e-household-");
console.log("1..6");

const signIn = (user, password) => signInAs(page, base, user, password);

try {
  await step("a police practitioner sees the mother and police's domestic abuse, not health's record nor the brother police does not hold", async () => {
    await signIn("pat.police", "practitioner password");
    await page.goto(base + "/#/person/1");
    await page.waitForSelector("#household table, #household .note, #household .error");
    const text = await page.textContent("#household");
    assert(text.includes("Grace Okafor, 42"), text);
    assert(text.includes("household member"), text);
    assert(text.includes("domestic abuse"), text);
    assert(!text.includes("self harm") && !text.includes("mental ill health"), text);
    assert(text.includes("someone your agency does not hold"), text);
    assert(!text.includes("Reuben"), text);
    // the evidence links to the member's chronology entry
    await page.click("#household a.to-event");
    await page.waitForSelector("#person-name");
    await page.waitForFunction(() => (document.querySelector("#person-name")?.textContent ?? "").includes("Grace"));
  });

  await step("an administrator sees the brother with the sister, and two of the toxic trio", async () => {
    await page.click("#signout");
    await signIn("ada.admin", "administrator password");
    await page.goto(base + "/#/person/1");
    await page.waitForSelector("#household table");
    const text = await page.textContent("#household");
    assert(text.includes("Reuben Okafor, 16") && text.includes("sibling"), text);
    assert(text.includes("mental ill health") && text.includes("self harm"), text);
    const trio = await page.textContent("#household-trio");
    assert(trio.includes("two or more of the toxic trio"), trio);
  });

  await step("no serious or critical accessibility violations (axe-core, WCAG 2.2 AA)", async () => {
    const bad = await a11yViolations(page, "household");
    assert(bad.length === 0, bad.join(" | "));
  });

  await step("Turning 18: the administrator sees the brother on a plan, soonest first, and opens him", async () => {
    await page.click("a[href='#/transition']");
    await page.waitForSelector("#turning-intro");
    await page.fill("#turning-months", "24");
    await page.click("form.search button[type=submit]");
    await page.waitForFunction(() => (document.querySelector("#turning-intro")?.textContent ?? "").includes("24 months"));
    const text = await page.textContent("#app");
    assert(text.includes("2028-07-19") && text.includes("Reuben Okafor") && text.includes("child protection"), text);
    assert(!text.includes("Maisie"), text);
    const bad = await a11yViolations(page, "turning 18");
    assert(bad.length === 0, bad.join(" | "));
    await page.click("table.turning a.person-link");
    await page.waitForFunction(() => (document.querySelector("#person-name")?.textContent ?? "").includes("Reuben"));
  });

  await step("Turning 18: a police practitioner sees nobody police does not hold", async () => {
    await page.click("#signout");
    await signIn("pat.police", "practitioner password");
    await page.goto(base + "/#/transition?months=24");
    await page.waitForSelector("#turning-intro");
    const text = await page.textContent("#app");
    assert(!text.includes("Reuben"), text);
    assert(text.includes("Nobody on the list or with a plan open"), text);
  });
  await step("Tracker: the young man of 20 is listed only with the transition age band, marked as such", async () => {
    await page.click("#signout");
    await signIn("ada.admin", "administrator password");
    await page.goto(base + "/#/panel");
    await page.waitForSelector("#panel .note");
    let text = await page.textContent("#panel");
    assert(!text.includes("Kai Mensah") && text.includes("No child is on the list"), text);
    await page.selectOption("#age-band", "transition");
    await page.click("form.search button[type=submit]");
    await page.waitForSelector("#panel table");
    text = await page.textContent("#panel");
    assert(text.includes("Kai Mensah") && text.includes("20 (transition)"), text);
    assert(text.includes("children and young adults to 25"), text);
    const bad = await a11yViolations(page, "tracker, transition");
    assert(bad.length === 0, bad.join(" | "));
  });
} finally {
  await finish(context);
}
