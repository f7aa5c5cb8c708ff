// Page timing in the browser on the county (issue 18's Speed: every page's first view on a
// warm server <= 1 s, sign-in included): Debian's Chromium driven by playwright-core signs in
// and opens each page, timing from the navigation until the page has drawn its content (no
// "…" placeholder left in it). Each page is opened twice: the first warms what the server
// keeps per data version, the second is the figure. Run by bench/http-county.sh with PAGES=1.
// usage: node bench/pages-county.mjs BASE_URL USER PASSWORD PERSON_ID
import { createRequire } from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "web", "package.json"));
const { chromium } = require("playwright-core");
const [base, user, password, person] = process.argv.slice(2);
const profile = mkdtempSync(join(tmpdir(), "svp-pages-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(120000);
await page.setViewportSize({ width: 1366, height: 768 });

const drawn = () =>
  page.waitForFunction(() => {
    const app = document.querySelector("#app");
    const t = app?.textContent ?? "";
    return t.length > 40 && !t.includes("…");
  });

let t = performance.now();
await page.goto(base + "/");
await page.waitForSelector("#login");
await page.fill("#username", user);
await page.fill("#password", password);
await page.click("#login button[type=submit]");
await drawn();
console.log(`${"sign-in and the tracker".padEnd(34)} ${String(Math.round(performance.now() - t)).padStart(6)} ms`);

const pages = [
  ["tracker", "#/panel"],
  ["meeting", "#/meeting"],
  ["person", `#/person/${person}`],
  ["people", "#/persons"],
  ["contexts map", "#/contexts"],
  ["network", "#/network"],
  ["network from the child", `#/network?person=${person}`],
  ["network around group 1", "#/network?group=1"],
  ["trends", "#/trends"],
  ["clocks", "#/clocks"],
  ["case reviews", "#/reviews"],
  ["learning", "#/learning"],
  ["DA call", "#/da"],
];
for (const [name, hash] of pages) {
  const times = [];
  for (let i = 0; i < 2; i++) {
    // Away to a page that fetches nothing (the password form), then a blank page area.
    await page.evaluate(() => (location.hash = "#/password"));
    await page.waitForSelector("#new-password");
    await page.evaluate(() => ((document.querySelector("#app") ?? document.body).textContent = ""));
    t = performance.now();
    await page.evaluate((h) => (location.hash = h), hash);
    await drawn();
    times.push(Math.round(performance.now() - t));
  }
  console.log(`${name.padEnd(34)} ${String(times[1]).padStart(6)} ms   (first ${times[0]} ms)${times[1] > 1000 ? "  over 1 s" : ""}`);
}
await context.close();
rmSync(profile, { recursive: true, force: true });
