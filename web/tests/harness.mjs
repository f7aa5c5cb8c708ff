// What the browser tests share: TAP steps and assertions, Debian's Chromium with a throwaway
// profile, and the closing line. usage in a test:
//   import { assert, finish, launch, step } from "./harness.mjs";
//   const { context, page } = await launch("svp-e2e-NAME-");
//   ... await step("name", async () => { assert(cond, "why"); }); ...
//   await finish(context);   // prints "# N passed, M failed", exits 1 if any failed
import { chromium } from "playwright-core";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

let failed = 0;
let n = 0;
let profile = null;

export async function step(name, fn) {
  try {
    await fn();
    console.log(`ok ${++n} - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok ${++n} - ${name}`);
    for (const line of String(e && e.stack ? e.stack : e).split("\n").slice(0, 6)) console.log(`# ${line}`);
  }
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

// axe-core (WCAG 2.x A and AA rules) run in the page; its serious and critical violations
// as lines "NAME: rule (impact) nodes". evaluate() runs through the DevTools protocol, so
// the page's CSP stays as served.
let axeSource = null;
export async function a11yViolations(page, name) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  await page.evaluate(axeSource);
  const res = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  return res.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((x) => x.target.join(" ")).join(", ")}`);
}

export async function launch(prefix) {
  profile = mkdtempSync(join(tmpdir(), prefix));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10000);
  return { context, page };
}

// Signs in through the login form and waits until the selector ready is on the page (by
// default the sign-out button, which every signed-in page shows). A sign-in hashes the
// password with a deliberately slow function, and the test build runs it under sanitizers
// on a machine other tests share: it is given 30 s, not the page's 10 (a CI run saw one
// take longer than 10 s while the crash matrix ran beside it).
export async function signIn(page, base, user, password, ready = "#signout") {
  await page.goto(base + "/#/login");
  await page.waitForSelector("#username");
  await page.fill("#username", user);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  await page.waitForSelector(ready, { timeout: 30000 });
}

export async function finish(context) {
  await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  console.log(`# ${n - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
