// Trends: missing episodes per month by area.
import { api } from "../api";
import { h, mount, table } from "../components/dom";
import { app, errorBox } from "../components/shell";

export interface TrendsJ {
  from: string;
  to: string;
  months: number;
  has_previous: boolean;
  empty_reason: string;
  rows: { area: string; kind: string; current: number; previous: number; change_pct: number | null; q: number; significant_rise: boolean; monthly: number[] }[];
}

export async function trendsPage(): Promise<void> {
  const canvas = h("canvas", { id: "trend-chart", "aria-label": "Missing episodes per month" }) as HTMLCanvasElement;
  const out = h("div", { id: "trends" }, h("p", {}, "Counting…"));
  mount(app, h("h1", {}, "Trends: missing episodes per month"), h("div", { class: "chart" }, canvas), out);
  try {
    const [t, { lineChart, monthLabels }] = await Promise.all([api<TrendsJ>("GET", "/contexts/trends?kinds=missing&months=12"), import("../components/charts")]);
    const labels = monthLabels(t.from, t.months);
    // The context room adds an "(all areas)" row for the county as a whole.
    const county = t.rows.find((r) => r.area.startsWith("("));
    const areas = t.rows.filter((r) => r !== county);
    const total = county ? county.monthly : labels.map((_, i) => areas.reduce((s, r) => s + (r.monthly[i] ?? 0), 0));
    const top = [...areas].sort((a, b) => b.current - a.current).slice(0, 5);
    lineChart(canvas, labels, [{ label: "all areas", values: total }, ...top.map((r) => ({ label: r.area, values: r.monthly }))], "missing episodes");
    mount(
      out,
      h(
        "p",
        { class: "note" },
        `${t.from} to ${t.to}: ${total.reduce((a, b) => a + b, 0)} missing episodes. ` +
          (t.empty_reason || "A rise is marked significant when an exact test against the same months a year earlier passes a 5% false discovery rate."),
      ),
      table(
        ["Area", "This year", "Year before", "Change", "Significant rise"],
        t.rows.map((r) => [r.area, String(r.current), t.has_previous ? String(r.previous) : "–", r.change_pct === null ? "–" : `${r.change_pct.toFixed(0)}%`, r.significant_rise ? "yes" : ""]),
        "grid trends",
      ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
