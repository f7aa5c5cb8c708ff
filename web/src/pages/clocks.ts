// Statutory clocks: timescales met, late and overdue as of the data's latest day (or a day
// chosen), what falls due in the coming week per child and case, and per cent on time by
// month for the rules chosen, one small chart per rule.
import { api } from "../api";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

export interface ClockJ {
  rule: string;
  times: string;
  amount: number;
  unit: string;
  source: string;
  due: number;
  on_time: number;
  late: number;
  overdue: number;
  open: number;
  unknown: number;
  pct_on_time: number;
  sentence: string;
}

interface DueJ {
  due: string;
  rule: string;
  times: string;
  ref: string;
  subject: "person" | "record" | "case";
  subject_id: number;
  start: string;
  state: string;
  late_by: number;
  unit: string;
}

interface DueListJ {
  as_of: string;
  until: string;
  within: number;
  items: DueJ[];
  overdue: DueJ[];
  overdue_total: number;
}

const KEYS = ["from", "to", "as_of"];

function query(params: URLSearchParams, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams(extra);
  for (const k of KEYS) if (params.get(k)) p.set(k, params.get(k) ?? "");
  return p.toString();
}

export async function clocksPage(params: URLSearchParams): Promise<void> {
  const from = h("input", { id: "from", type: "date", value: params.get("from") ?? "" }) as HTMLInputElement;
  const to = h("input", { id: "to", type: "date", value: params.get("to") ?? "" }) as HTMLInputElement;
  const asOf = h("input", { id: "as-of", type: "date", value: params.get("as_of") ?? "" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "search" },
    h("label", {}, "Deadlines from", from),
    h("label", {}, "to", to),
    h("label", {}, "As of (blank: the data's latest day)", asOf),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (from.value) p.set("from", from.value);
    if (to.value) p.set("to", to.value);
    if (asOf.value) p.set("as_of", asOf.value);
    go("#/clocks?" + p.toString());
  });
  const out = h("div", { id: "clocks" }, h("p", {}, "Counting…"));
  const due = h("section", { id: "clocks-due", "aria-label": "Due this week" }, h("p", {}, "Finding what falls due…"));
  const chart = h("div", { id: "clock-periods" });
  mount(app, h("h1", {}, "Statutory clocks"), form, out, due, chart);
  void clockChart(chart, params);
  void dueList(due, params);
  try {
    const res = await api<{ items: ClockJ[]; as_of: string }>("GET", "/clocks?" + query(params));
    mount(
      out,
      h(
        "p",
        { class: "note", id: "clocks-as-of" },
        `Open and overdue as of ${res.as_of}${params.get("as_of") ? "" : " (the latest day in the data)"}. Working days exclude weekends and England and Wales bank holidays.`,
      ),
      res.items.length === 0
        ? h("p", {}, "No clocks in this period.")
        : table(
            ["Timescale", "Limit", "Due", "On time", "Late", "Overdue", "Open", "% on time", "Source"],
            res.items.map((c) => {
              const meter = h("meter", { min: "0", max: "100", low: "60", high: "90", optimum: "100", value: String(Math.max(0, c.pct_on_time)), "aria-label": `${c.times}: per cent on time` });
              return [
                h("span", { title: c.sentence }, c.times),
                `${c.amount} ${c.unit}`,
                String(c.due),
                String(c.on_time),
                String(c.late),
                String(c.overdue),
                String(c.open),
                c.pct_on_time < 0 ? "–" : h("span", {}, meter, ` ${c.pct_on_time}%`),
                c.source,
              ];
            }),
            "grid clocks",
          ),
      h("ul", { class: "sentences" }, ...res.items.map((c) => h("li", {}, c.sentence))),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

function subjectLink(d: DueJ): HTMLElement | string {
  if (d.subject === "person") return h("a", { href: `#/person/${d.subject_id}`, class: "person-link" }, `person ${d.subject_id}`);
  if (d.subject === "record") return h("a", { href: `#/record/${d.subject_id}`, class: "person-link" }, `record ${d.subject_id}`);
  return h("a", { href: "#/reviews" }, `case ${d.ref}`);
}

/* Clocks falling due in the coming working days, one row per child or case. */
async function dueList(el: HTMLElement, params: URLSearchParams): Promise<void> {
  try {
    const res = await api<DueListJ>("GET", "/clocks/due?" + query(params, { within: "5" }));
    const groups = new Map<string, DueJ[]>();
    for (const d of res.items) {
      const key = d.subject === "case" ? `case ${d.ref}` : `${d.subject} ${d.subject_id}`;
      const g = groups.get(key);
      if (g) g.push(d);
      else groups.set(key, [d]);
    }
    const line = (d: DueJ) =>
      h("li", {}, h("time", { datetime: d.due }, d.due), ` ${d.times} (started ${d.start}${d.state === "overdue" ? `, ${d.late_by} ${d.unit} late` : ""})`);
    mount(
      el,
      h("h2", {}, `Due this week: ${res.as_of} to ${res.until}`),
      groups.size === 0
        ? h("p", { class: "note" }, "Nothing falls due in the next five working days.")
        : table(
            ["Child or case", "Falls due"],
            [...groups.values()].map((g) => [subjectLink(g[0]), h("ul", { class: "due" }, ...g.map(line))]),
            "grid due",
          ),
      res.overdue_total === 0
        ? h("p", { class: "note" }, "No clock is overdue.")
        : h(
            "details",
            { id: "clocks-overdue" },
            h("summary", {}, `${res.overdue_total} clock${res.overdue_total === 1 ? "" : "s"} overdue as of ${res.as_of}${res.overdue_total > res.overdue.length ? ` (the ${res.overdue.length} most recent shown)` : ""}`),
            table(
              ["Child or case", "Was due", "Timescale", "Late by"],
              res.overdue.map((d) => [subjectLink(d), d.due, d.times, `${d.late_by} ${d.unit}`]),
              "grid overdue",
            ),
          ),
    );
  } catch (e) {
    mount(el, errorBox(e));
  }
}

interface PeriodsJ {
  periods: { label: string; items: ClockJ[] }[];
  as_of: string;
}

/* Per cent on time by month: one small chart per chosen rule, on the same 0–100 scale, so
 * each line can be read on its own and the rules compared side by side. */
async function clockChart(el: HTMLElement, params: URLSearchParams): Promise<void> {
  try {
    const [res, { smallLine }] = await Promise.all([api<PeriodsJ>("GET", "/clocks/periods?" + query(params, { by: "month" })), import("../components/charts")]);
    // Months after the day the data is as of have nothing decided in them: left off.
    const periods = res.periods.filter((x) => x.label <= res.as_of.slice(0, 7));
    const labels = periods.map((x) => x.label);
    const rules = new Map<string, { times: string; due: number }>();
    for (const per of periods)
      for (const c of per.items)
        if (c.due > 0) {
          const r = rules.get(c.rule) ?? { times: c.times, due: 0 };
          r.due += c.due;
          rules.set(c.rule, r);
        }
    if (rules.size === 0) {
      mount(el, h("p", { class: "note" }, "No clock fell due in this period, so there is nothing to chart."));
      return;
    }
    const ordered = [...rules].sort((a, b) => b[1].due - a[1].due);
    const chosen = new Set(ordered.slice(0, 6).map(([r]) => r));
    const grid = h("div", { class: "multiples", id: "clock-multiples" });
    const draw = () => {
      grid.replaceChildren();
      for (const [rule, info] of ordered) {
        if (!chosen.has(rule)) continue;
        const canvas = h("canvas", { id: `clock-chart-${rule}`, role: "img", "aria-label": `${info.times}: per cent on time by month` }) as HTMLCanvasElement;
        grid.append(h("figure", { class: "multiple" }, h("figcaption", {}, `${info.times} (${info.due} due)`), h("div", { class: "small-chart" }, canvas)));
        smallLine(
          canvas,
          labels,
          periods.map((per) => {
            const c = per.items.find((i) => i.rule === rule);
            return c && c.due > 0 && c.pct_on_time >= 0 ? c.pct_on_time : null;
          }),
          100,
        );
      }
    };
    const picker = h(
      "fieldset",
      { class: "rules-picker" },
      h("legend", {}, "Timescales to chart"),
      ...ordered.map(([rule, info]) => {
        const box = h("input", { type: "checkbox", id: `rule-${rule}`, value: rule }) as HTMLInputElement;
        box.checked = chosen.has(rule);
        box.addEventListener("change", () => {
          if (box.checked) chosen.add(rule);
          else chosen.delete(rule);
          draw();
        });
        return h("label", { class: "check", for: `rule-${rule}` }, box, ` ${info.times}`);
      }),
    );
    mount(el, h("h2", {}, "Per cent on time, by month of deadline"), picker, grid);
    draw();
  } catch (e) {
    mount(el, errorBox(e));
  }
}
