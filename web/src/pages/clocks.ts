// Statutory clocks: timescales met, late and overdue, and per cent on time by month.
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

export async function clocksPage(params: URLSearchParams): Promise<void> {
  const from = h("input", { id: "from", type: "date", value: params.get("from") ?? "" }) as HTMLInputElement;
  const to = h("input", { id: "to", type: "date", value: params.get("to") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, h("label", {}, "Deadlines from", from), h("label", {}, "to", to), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (from.value) p.set("from", from.value);
    if (to.value) p.set("to", to.value);
    go("#/clocks?" + p.toString());
  });
  const out = h("div", { id: "clocks" }, h("p", {}, "Counting…"));
  const chart = h("div", { id: "clock-periods" });
  mount(app, h("h1", {}, "Statutory clocks"), form, out, chart);
  void clockChart(chart, params);
  try {
    const p = new URLSearchParams();
    if (params.get("from")) p.set("from", params.get("from") ?? "");
    if (params.get("to")) p.set("to", params.get("to") ?? "");
    const res = await api<{ items: ClockJ[]; as_of: string }>("GET", "/clocks?" + p.toString());
    mount(
      out,
      h("p", { class: "note" }, `Open and overdue as of ${res.as_of}. Working days exclude weekends and England and Wales bank holidays.`),
      res.items.length === 0
        ? h("p", {}, "No clocks in this period.")
        : table(
            ["Timescale", "Limit", "Due", "On time", "Late", "Overdue", "Open", "% on time", "Source"],
            res.items.map((c) => {
              const meter = h("meter", { min: "0", max: "100", low: "60", high: "90", optimum: "100", value: String(Math.max(0, c.pct_on_time)) });
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

export interface PeriodsJ {
  periods: { label: string; items: ClockJ[] }[];
  as_of: string;
}

async function clockChart(el: HTMLElement, params: URLSearchParams): Promise<void> {
  const p = new URLSearchParams({ by: "month" });
  for (const k of ["from", "to"]) if (params.get(k)) p.set(k, params.get(k) ?? "");
  try {
    const [res, { lineChart }] = await Promise.all([api<PeriodsJ>("GET", "/clocks/periods?" + p.toString()), import("../components/charts")]);
    const labels = res.periods.map((x) => x.label);
    const rules = new Map<string, string>();
    for (const per of res.periods) for (const c of per.items) if (c.due > 0) rules.set(c.rule, c.times);
    if (rules.size === 0) {
      mount(el, h("p", { class: "note" }, "No clock fell due in this period, so there is nothing to chart."));
      return;
    }
    const canvas = h("canvas", { id: "clock-chart", "aria-label": "Per cent on time by month" }) as HTMLCanvasElement;
    mount(el, h("h2", {}, "Per cent on time, by month of deadline"), h("div", { class: "chart" }, canvas));
    lineChart(
      canvas,
      labels,
      [...rules].map(([rule, times]) => ({
        label: times,
        values: res.periods.map((per) => {
          const c = per.items.find((i) => i.rule === rule);
          return c && c.due > 0 && c.pct_on_time >= 0 ? c.pct_on_time : null;
        }),
      })),
      "% on time",
      100,
    );
  } catch (e) {
    mount(el, errorBox(e));
  }
}
