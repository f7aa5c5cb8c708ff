// The core dataset dashboard: every figure of `svp report dataset` (the same functions, read
// through /report/dataset), exceptions first, by theme with bar charts by quarter and by
// financial year, benchmark lines, exports, and the children behind a figure (drill-down,
// only those the viewer may see, audited).
import { api } from "../api";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

interface Value {
  label: string;
  value: number | null;
  numerator: number;
  denominator: number;
}
interface Bench {
  comparator: string;
  value: number;
  year: string;
  source: string;
  illustrative: boolean;
  narrative: string;
  exception: boolean;
}
interface Figure {
  id: string;
  theme: string;
  title: string;
  unit: "count" | "percent" | "rate_per_10000";
  definition: string;
  source: string;
  available: boolean;
  note?: string;
  value: number | null;
  numerator: number;
  denominator: number;
  quarters: Value[];
  years: Value[];
  benchmarks: Bench[];
}
export interface DatasetJ {
  period: { label: string; from: string; to: string };
  as_of: string;
  population: number;
  population_source: string;
  figures: Figure[];
  case_reviews?: { sentences: string[] };
}
interface DrillJ {
  title: string;
  value: string;
  period: { label: string };
  children: { kind: string; id?: number; name?: string; pseudonym?: string }[];
  total: number;
  withheld: number;
}

const THEMES: [string, string][] = [
  ["referrals", "Contacts, referrals and assessments"],
  ["early_help", "Early help"],
  ["child_protection", "Child protection"],
  ["looked_after", "Children looked after"],
  ["missing", "Missing children and return interviews"],
  ["domestic_abuse", "Domestic abuse and MARAC"],
  ["private_fostering", "Private fostering"],
  ["partnership", "The partnership: training, audits, child deaths, challenges"],
];

// The partnership's figures count register entries, not children: their title opens the
// register behind them (the registers page shows each entry to the roles that may read it).
const REGISTER_OF: Record<string, string> = {
  reg_training_sessions: "session",
  reg_training_attendees: "session",
  reg_training_fill_pct: "session",
  reg_s175_returns_pct: "audit",
  reg_early_years_returns_pct: "audit",
  reg_cdop_notifications: "child_death",
  reg_cdop_unexpected: "child_death",
  reg_cdop_modifiable_pct: "child_death",
  reg_challenges: "challenge",
  reg_open_inspection_recs: "inspection",
};

const SVG = "http://www.w3.org/2000/svg";

function fmt(f: Figure, v: number | null): string {
  if (v === null) return "–";
  if (f.unit === "percent") return `${v.toFixed(1)}%`;
  if (f.unit === "rate_per_10000") return `${v.toFixed(1)} per 10,000`;
  return v.toLocaleString("en-GB");
}

function shown(f: Figure): string {
  if (!f.available) return "not available";
  if (f.value === null) return "none in period";
  return fmt(f, f.value);
}

// The same bar chart as the HTML report: one bar per point, scaled to the largest.
function bars(f: Figure, points: Value[], what: string): Element {
  const longest = Math.max(0, ...points.map((p) => p.label.length));
  const w = longest > 8 ? longest * 6 + 4 : 56, ht = 90, top = 14;
  const max = Math.max(0, ...points.map((p) => p.value ?? 0));
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("role", "img");
  svg.setAttribute("width", String(points.length * w + 10));
  svg.setAttribute("height", String(ht + 34));
  svg.setAttribute("aria-label", `${f.title}: ${what}`);
  const text = (x: number, y: number, s: string, cls = ""): void => {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", String(x));
    t.setAttribute("y", String(y));
    if (cls) t.setAttribute("class", cls);
    t.textContent = s;
    svg.append(t);
  };
  points.forEach((p, i) => {
    const x = 5 + i * w;
    if (p.value === null) {
      text(x + 8, top + ht - 4, "n/a", "na");
    } else {
      const bh = max > 0 ? Math.round((p.value / max) * (ht - top)) : 0;
      const r = document.createElementNS(SVG, "rect");
      r.setAttribute("x", String(x + 4));
      r.setAttribute("y", String(top + ht - bh));
      r.setAttribute("width", String(w - 12));
      r.setAttribute("height", String(bh));
      svg.append(r);
      text(x + 4, top + ht - bh - 3, f.unit === "count" ? String(p.value) : p.value.toFixed(1));
    }
    text(x + 2, top + ht + 14, p.label, "l");
  });
  return svg;
}

async function drill(f: Figure, period: string, box: HTMLElement): Promise<void> {
  mount(box, h("p", {}, "Finding the children…"));
  try {
    const d = await api<DrillJ>("GET", `/report/drill?figure=${encodeURIComponent(f.id)}&period=${encodeURIComponent(period)}`);
    const rows = d.children.map((c) => [
      c.pseudonym ? c.pseudonym : h("a", { href: `#/${c.kind}/${c.id}` }, c.name || `${c.kind} ${c.id}`),
    ]);
    mount(
      box,
      h("h3", {}, `${d.title} (${d.period.label}): ${d.value}`),
      h("p", { class: "note" }, `${d.total} children or cases you may see` + (d.withheld ? `; ${d.withheld} more are held by agencies whose records you may not see` : "") + (d.children.length < d.total ? `; the first ${d.children.length} listed` : "")),
      table(["Child"], rows, "grid drill"),
    );
  } catch (e) {
    mount(box, errorBox(e));
  }
}

export async function datasetPage(q: URLSearchParams): Promise<void> {
  const period = q.get("period") ?? "";
  const input = h("input", { id: "period", type: "text", value: period, placeholder: "2022-23, 2022Q1, 2022-04-01..2022-09-30" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "inline", onsubmit: (e: Event) => { e.preventDefault(); location.hash = `#/dataset?period=${encodeURIComponent(input.value.trim())}`; } },
    h("label", {}, "Period", input),
    h("button", { type: "submit" }, "Show"),
  );
  const out = h("div", { id: "dataset" }, h("p", {}, "Computing the dataset…"));
  const drillBox = h("div", { id: "drill", "aria-live": "polite" });
  mount(app, h("h1", {}, "Core dataset"), form, out, drillBox);
  try {
    const d = await api<DatasetJ>("GET", `/report/dataset${period ? `?period=${encodeURIComponent(period)}` : ""}`);
    const p = d.period.label;
    const exceptions = d.figures.flatMap((f) => f.benchmarks.filter((b) => b.exception).map((b) => b.narrative));
    const exp = (fmtName: string, label: string): HTMLElement => h("a", { href: `/api/v1/report/export?format=${fmtName}&period=${encodeURIComponent(p)}`, download: `core-dataset-${p}.${fmtName}` }, label);
    const sections: HTMLElement[] = [];
    for (const [theme, title] of THEMES) {
      const figs = d.figures.filter((f) => f.theme === theme);
      const rows = figs.map((f) => [
        h("div", {}, h("button", { type: "button", class: "link", id: `drill-${f.id}`, disabled: !f.available, onclick: () => (REGISTER_OF[f.id] ? go(`#/registers?r=${REGISTER_OF[f.id]}`) : void drill(f, p, drillBox)) }, f.title), h("div", { class: "note" }, f.definition), ...(f.note ? [h("div", { class: "note" }, f.note)] : []), ...f.benchmarks.map((b) => h("div", { class: b.exception ? "exception" : "note" }, b.narrative))),
        h("span", { class: "value", id: `value-${f.id}` }, shown(f), f.unit === "percent" && f.available ? h("div", { class: "note" }, `${f.numerator} of ${f.denominator}`) : null),
        f.available ? bars(f, f.quarters, "by quarter") : "",
        f.available ? bars(f, f.years, "by financial year") : "",
      ]);
      sections.push(h("section", { id: `theme-${theme}` }, h("h2", {}, title), table(["Figure", "Value", "By quarter", "By year"], rows as (Node | string)[][], "grid dataset")));
    }
    mount(
      out,
      h("p", { class: "note" }, `${d.period.label}: ${d.period.from} to ${d.period.to}; data as of ${d.as_of}; ${d.population.toLocaleString("en-GB")} children aged 0-17 (${d.population_source}).`),
      h("p", {}, "Export: ", exp("html", "HTML"), " · ", exp("xlsx", "XLSX"), " · ", exp("csv", "CSV")),
      h("h2", {}, "Exceptions"),
      h("ul", { id: "exceptions" }, ...(exceptions.length ? exceptions.map((x) => h("li", {}, x)) : [h("li", {}, "none: no figure is worse than a benchmark by more than its threshold")])),
      ...sections,
      d.case_reviews ? h("section", { id: "case-reviews" }, h("h2", {}, "Case reviews"), h("ul", {}, ...d.case_reviews.sentences.map((s) => h("li", {}, s)))) : null,
      h("p", { class: "note" }, "Benchmarks marked illustrative stand in until the partnership enters published values."),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
