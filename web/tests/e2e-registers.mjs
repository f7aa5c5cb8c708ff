// Browser test of the registers pages (data made by tests/web-e2e-registers.py).
// usage: node tests/e2e-registers.mjs BASE_URL. Prints TAP; exits 1 if any test fails.
import { a11yViolations, assert, finish, launch, step } from "./harness.mjs";

const base = process.argv[2];
const a11y = [];
async function checkA11y(name) {
  a11y.push(...(await a11yViolations(page, name)));
}

const { context, page } = await launch("svp-e2e-reg-");
const violations = [];
const outside = [];
page.on("console", (m) => {
  if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
});
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
console.log("1..8");

async function signIn(user, password) {
  await page.goto(base + "/#/login");
  await page.waitForSelector("#login");
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("a[href='#/registers']");
}

try {
  await step("a panel member opens the risk register: scores, rating and the review clock", async () => {
    await signIn("cha.chair", "panel chair password");
    await page.click("a[href='#/registers']");
    await page.waitForSelector("#register-list table.register");
    const text = await page.textContent("#register-list");
    assert(text.includes("R1") && text.includes("Capacity in the front door"), text);
    assert(text.includes("16") && text.includes("high"), text);
    assert(/risk_review due 2026-04-05 overdue/.test(text), text);
    await checkA11y("registers");
  });

  await step("a likelihood of 6 is refused naming the field; a good risk is added", async () => {
    await page.click("#register-add-box summary");
    await page.fill("#rf-ref", "R2");
    await page.fill("#rf-risk-title", "Health visitor vacancies");
    await page.fill("#rf-risk-owner_agency", "health");
    await page.fill("#rf-risk-likelihood", "6");
    await page.fill("#rf-risk-impact", "2");
    // the browser's own range check is bypassed so the server's answer is what is tested
    await page.$eval("#register-add", (f) => f.setAttribute("novalidate", ""));
    await page.click("#register-add button[type=submit]");
    await page.waitForSelector("#registers-msg .error");
    const err = await page.textContent("#registers-msg");
    assert(/likelihood/.test(err) && /1 to 5/.test(err), err);
    assert((await page.getAttribute("#rf-risk-likelihood", "aria-invalid")) === "true", "the bad field is not marked");
    assert(!(await page.textContent("#register-list")).includes("R2"), "a refused risk was stored");
    await page.fill("#rf-risk-likelihood", "3");
    await page.click("#register-add button[type=submit]");
    await page.waitForSelector("#registers-msg .ok");
    assert((await page.textContent("#register-list")).includes("Health visitor vacancies"), "R2 is not listed");
  });

  await step("a risk is changed and its history shows who changed what", async () => {
    await page.click("button.edit[data-ref='R1']");
    await page.waitForSelector("#register-edit");
    await page.fill("#register-edit [name=reviewed]", "2026-10-01");
    await page.selectOption("#register-edit [name=trend]", "falling");
    await page.click("#register-edit button[type=submit]");
    await page.waitForFunction(() => (document.querySelector("#registers-msg")?.textContent ?? "").includes("Saved R1"));
    await page.click("button.history[data-ref='R1']");
    await page.waitForSelector("#register-history table.history");
    const hist = await page.textContent("#register-history");
    assert(hist.includes("added") && hist.includes("updated") && hist.includes("cha.chair") && hist.includes("trend: falling"), hist);
    await checkA11y("registers (history)");
  });

  await step("the list filters by a field's value and by text", async () => {
    await page.goto(base + "/#/registers?r=audit&field=sector&value=independent");
    await page.waitForSelector("#register-list p.note");
    const note = await page.textContent("#register-list p.note");
    assert(note.startsWith("27 audit entries"), note);
    await page.goto(base + "/#/registers?r=child_death&q=unexpected");
    await page.waitForFunction(() => (document.querySelector("#register-list p.note")?.textContent ?? "").startsWith("7 child death"));
  });

  await step("the annual report figures are the seeds' published ones", async () => {
    await page.goto(base + "/#/figures?from=2016-04-01&to=2017-03-31&year=2016-17");
    await page.waitForSelector("#figures table.figures-training");
    const training = await page.textContent("#figures table.figures-training");
    assert(training.includes("Foundation Child Protection2248351694%"), training.slice(0, 400));
    assert(training.includes("TOTAL9719502376"), training.slice(-200));
    const returns = await page.textContent("#figures table.figures-returns");
    assert(returns.includes("s175all25024598%") && returns.includes("early_yearsall34829284%"), returns);
    const cdop = await page.textContent("#figures-cdop");
    assert(cdop.includes("23 notifications (7 unexpected, 16 expected)") && cdop.includes("modifiable factors in 25%") && cdop.includes("under one 64%"), cdop);
    await checkA11y("figures");
  });

  await step("the core dataset shows the same figures; a figure's title opens its register", async () => {
    await page.goto(base + "/#/dataset?period=2016-17");
    await page.waitForSelector("#value-reg_training_sessions");
    const sessions = (await page.textContent("#value-reg_training_sessions")).trim();
    assert(sessions === "97", `training sessions ${sessions}`);
    const cdop = (await page.textContent("#value-reg_cdop_notifications")).trim();
    assert(cdop === "23", `child death notifications ${cdop}`);
    const fill = await page.textContent("#value-reg_training_fill_pct");
    assert(fill.startsWith("82.1%") && fill.includes("1950 of 2376"), `places filled ${fill}`);
    await page.click("#drill-reg_cdop_notifications");
    await page.waitForFunction(() => location.hash.startsWith("#/registers?r=child_death"));
  });

  await step("an analyst reads the risk register but gets no form to change it", async () => {
    await page.click("#signout");
    await signIn("ann.analyst", "analyst password 1");
    await page.goto(base + "/#/registers?r=risk");
    await page.waitForSelector("#register-list table.register");
    assert(!(await page.$("#register-add-box")), "an analyst is offered the add form");
    assert(!(await page.$("button.edit")), "an analyst is offered a change button");
    await page.goto(base + "/#/registers?r=audit&q=School%20001");
    await page.waitForSelector("#register-add-box");
  });

  await step("no page broke the CSP, called outside svp or has a serious accessibility fault", async () => {
    assert(violations.length === 0, violations.join("\n"));
    assert(outside.length === 0, outside.join("\n"));
    assert(a11y.length === 0, a11y.join("\n"));
  });
} finally {
  await finish(context);
}
