// Browser test of the domestic abuse call page (data made by tests/web-e2e-da.py).
// usage: node tests/e2e-da.mjs BASE_URL. Prints TAP; exits 1 if any test fails.
import { assert, finish, launch, step } from "./harness.mjs";
import { zipEntry } from "./zip.mjs";

const base = process.argv[2];
const { context, page } = await launch("svp-e2e-da-");
const outside = [];
page.on("request", (r) => {
  if (!r.url().startsWith(base)) outside.push(r.url());
});
console.log("1..8");

try {
  await step("sign in as a police practitioner and open the DA call", async () => {
    await page.goto(base + "/");
    await page.fill("#username", "pat.police");
    await page.fill("#password", "practitioner password");
    await page.click("#login button[type=submit]");
    await page.waitForSelector("a[href='#/da']");
    await page.click("a[href='#/da']");
    // today (SVP_TODAY, a Saturday in the tests) has no call: the page says why
    await page.waitForSelector("#da-call .error, #da-call #da-window");
  });

  await step("Friday's call lists Thursday night's incident, its people and the child", async () => {
    await page.goto(base + "/#/da?date=2026-10-30");
    await page.waitForFunction(() => (document.querySelector("#da-window")?.textContent ?? "").includes("2026-10-30"));
    const win = await page.textContent("#da-window");
    assert(win.includes("since the call on 2026-10-29") && win.includes("1 cases, 1 high risk, 1 with children present"), win);
    const card = await page.textContent("#case-1");
    assert(card.includes("DA/26/000001") && card.includes("visible high risk"), card);
    assert(card.includes("Victim: Dana Mercer") && card.includes("Alleged perpetrator: Rex Stone"), card);
    assert(card.includes("Child present: Lily Mercer"), card);
    // each person links to their record's page
    const links = await page.$$eval("#case-1 a.person-link", (as) => as.map((a) => a.getAttribute("href")));
    assert(links.length === 3 && links.every((l) => /^#\/(person|record)\/\d+$/.test(l)), JSON.stringify(links));
    assert(card.includes("no referral recorded"), card);
    assert(card.includes("Strategy discussion for Lily (owner MASH team, due 2026-11-03)"), card);
    assert(await page.$("#da-print"), "no print button");
    assert((await page.inputValue("#da-date")) === "2026-10-30", "the chosen day is not kept");
  });

  await step("the call prints for partners: the cases, no controls, forms or figures", async () => {
    await page.emulateMedia({ media: "print" });
    assert(await page.isVisible("#case-1"), "the case would not print");
    for (const sel of ["#da-date", "#da-print", "#da-export", "#case-1 form.da-add", "#bar"])
      assert(!(await page.isVisible(sel)), `${sel} would print`);
    const pdf = await page.pdf({ format: "A4", printBackground: true });
    await page.emulateMedia({ media: "screen" });
    assert(pdf.subarray(0, 5).toString() === "%PDF-" && pdf.length > 3000, `not a PDF (${pdf.length} bytes)`);
    assert(await page.isVisible("#case-1 form.da-add"), "the form is hidden on screen");
  });

  await step("the call exports as XLSX: the case, its people, the child and the action", async () => {
    const bytes = await page.evaluate(async () => {
      const r = await fetch("/api/v1/da/call/export.xlsx?date=2026-10-30", { credentials: "same-origin" });
      return { type: r.headers.get("content-type"), data: Array.from(new Uint8Array(await r.arrayBuffer())) };
    });
    assert(bytes.type.includes("spreadsheetml"), bytes.type);
    const xlsx = Buffer.from(bytes.data);
    const strings = zipEntry(xlsx, "xl/sharedStrings.xml");
    for (const want of ["DA/26/000001", "Dana Mercer", "Rex Stone", "Lily Mercer", "visible high risk", "Strategy discussion for Lily", "MASH team"])
      assert(strings.includes(want), `${want} is not in the workbook`);
    for (const sheet of ["Call", "Cases", "Children", "Actions"])
      assert(zipEntry(xlsx, "xl/workbook.xml").includes(`name="${sheet}"`), `no ${sheet} sheet`);
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#da-export")]);
    assert(dl.suggestedFilename() === "da-call-2026-10-30.xlsx", dl.suggestedFilename());
  });

  await step("an action set during the call shows with its case and is marked done", async () => {
    await page.selectOption("#case-1 form.da-add select", "police");
    await page.fill("#case-1 form.da-add input[type=text] >> nth=0", "Check on Dana at home");
    await page.fill("#case-1 form.da-add input[type=text] >> nth=1", "PC Hale");
    await page.fill("#case-1 form.da-add input[type=date]", "2026-11-02");
    await page.click("#case-1 form.da-add button[type=submit]");
    await page.waitForFunction(() => (document.querySelector("#case-1")?.textContent ?? "").includes("Check on Dana at home"));
    assert((await page.textContent("#da-msg")).includes("Action added for DA/26/000001"), await page.textContent("#da-msg"));
    // a bad one (due before the call) is refused with the reason, nothing added
    await page.fill("#case-1 form.da-add input[type=text] >> nth=0", "Too late");
    await page.fill("#case-1 form.da-add input[type=text] >> nth=1", "PC Hale");
    await page.fill("#case-1 form.da-add input[type=date]", "2026-10-01");
    await page.click("#case-1 form.da-add button[type=submit]");
    await page.waitForSelector("#da-msg .error");
    assert((await page.textContent("#da-msg .error")).includes("before the call"), await page.textContent("#da-msg"));
    assert(!(await page.textContent("#case-1")).includes("Too late"), "a refused action shows");
    const id = await page.getAttribute("#case-1 li.da-action:has-text('Check on Dana') button.da-done", "data-id");
    await page.click(`#case-1 button.da-done[data-id='${id}']`);
    await page.waitForFunction((i) => (document.querySelector("#da-msg")?.textContent ?? "").includes(`Action ${i} is done`), id);
    assert(!(await page.textContent("#case-1")).includes("Check on Dana at home"), "a done action still shows");
    assert((await page.textContent("#case-1")).includes("Strategy discussion for Lily"), "the other action went");
  });

  await step("the next call carries the open action", async () => {
    await page.goto(base + "/#/da?date=2026-11-02");
    await page.waitForFunction(() => (document.querySelector("#da-window")?.textContent ?? "").includes("2026-11-02"));
    const carried = await page.textContent("#da-carried");
    assert(carried.includes("DA/26/000001: csc: Strategy discussion for Lily"), carried);
  });

  await step("a call on a Sunday is refused with the reason, and nothing loads from outside", async () => {
    await page.goto(base + "/#/da?date=2026-11-01");
    await page.waitForSelector("#da-call .error");
    const msg = await page.textContent("#da-call .error");
    assert(msg.includes("not a working day"), msg);
    assert(outside.length === 0, "requests outside svp: " + outside.join(" "));
  });

  await step("a health practitioner gets the case withheld, on the page and in the export", async () => {
    await page.click("#signout");
    await page.waitForSelector("#login");
    await page.fill("#username", "hana.health");
    await page.fill("#password", "practitioner password");
    await page.click("#login button[type=submit]");
    await page.waitForSelector("a[href='#/da']");
    await page.goto(base + "/#/da?date=2026-10-30");
    await page.waitForFunction(() => (document.querySelector("#da-window")?.textContent ?? "").includes("2026-10-30"));
    const win = await page.textContent("#da-window");
    assert(win.includes("0 cases") && win.includes("1 more your agency may not see"), win);
    assert(!(await page.textContent("#app")).includes("Mercer"), "a withheld name shows");
    const bytes = await page.evaluate(async () => {
      const r = await fetch("/api/v1/da/call/export.xlsx?date=2026-10-30", { credentials: "same-origin" });
      return Array.from(new Uint8Array(await r.arrayBuffer()));
    });
    const strings = zipEntry(Buffer.from(bytes), "xl/sharedStrings.xml");
    assert(!strings.includes("Mercer") && !strings.includes("Stone") && !strings.includes("DA/26/000001"), strings);
    assert(strings.includes("Cases your agency may not see"), strings);
  });
} finally {
  await finish(context);
}
