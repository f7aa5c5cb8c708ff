// The partnership's registers (risk, challenge log, training, audits, inspections, child
// deaths, meetings): pick a register, filter its entries, add or change one through a form
// built from the register's schema (the server checks every field and names a bad one), and
// read an entry's history of changes. Only the roles a register names see the forms; the
// server enforces it. The annual report's figures are at #/figures.
import { api, ApiError } from "../api";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

interface FieldJ {
  name: string;
  type: "text" | "date" | "choice" | "integer" | "ref";
  required: boolean;
  choices?: string;
  default?: string;
  help: string;
  min?: number;
  max?: number;
  refers?: string;
}
interface SchemaJ {
  name: string;
  title: string;
  parent?: string;
  group: string;
  roles: string;
  can_change: boolean;
  fields: FieldJ[];
  computed: { name: string; help: string }[];
}
interface RegEntryJ {
  ref: string;
  parent?: string;
  created_at: string;
  updated_at: string;
  fields: Record<string, string | null>;
  computed: Record<string, string | null>;
  clocks: { rule: string; times: string; due: string; state: string }[];
}
interface HistoryJ {
  history: { change: string; by: string; at: string; fields: Record<string, string> }[];
}


function link(params: Record<string, string>): string {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  return `#/registers?${q.toString()}`;
}

/* One input for a field, filled with value. */
function input(sc: SchemaJ, f: FieldJ, value: string | null | undefined): HTMLElement {
  const id = `rf-${sc.name}-${f.name}`;
  const v = value ?? "";
  let el: HTMLElement;
  if (f.type === "choice") {
    el = h(
      "select",
      { id, name: f.name },
      h("option", { value: "" }, f.required ? "choose…" : "(none)"),
      ...(f.choices ?? "").split("|").map((c) => h("option", { value: c, selected: c === v }, c.replace(/_/g, " "))),
    );
  } else if (f.type === "text" && f.help.length > 0 && (f.name === "description" || f.name === "text" || f.name === "findings" || f.name === "response" || f.name === "controls" || f.name === "actions")) {
    el = h("textarea", { id, name: f.name, rows: "2" }, v);
  } else {
    const attrs: Record<string, string | boolean> = { id, name: f.name, value: v };
    if (f.type === "date") attrs.type = "date";
    if (f.type === "integer") {
      attrs.type = "number";
      attrs.min = String(f.min ?? 0);
      attrs.max = String(f.max ?? 0);
      attrs.step = "1";
    }
    el = h("input", attrs);
  }
  return h("label", { title: f.help }, `${f.name.replace(/_/g, " ")}${f.required ? " *" : ""}`, el, h("small", {}, f.help));
}

/* The add form, or (entry given) the change form. */
function entryForm(sc: SchemaJ, entry: RegEntryJ | null, parent: string, msg: HTMLElement, reload: () => Promise<void>): HTMLElement {
  const head: HTMLElement[] = [];
  if (!entry && !sc.parent) head.push(h("label", {}, "reference *", h("input", { id: "rf-ref", name: "ref", required: true, maxlength: "40" })));
  if (!entry && sc.parent)
    head.push(h("label", {}, `parent (${sc.parent.replace(/\|/g, ", ")}) *`, h("input", { id: "rf-parent", name: "parent", required: true, value: parent })));
  const form = h(
    "form",
    { class: "register-form", id: entry ? "register-edit" : "register-add" },
    ...head,
    ...sc.fields.map((f) => input(sc, f, entry ? entry.fields[f.name] : f.default)),
    h("button", { type: "submit" }, entry ? `Save ${entry.ref}` : `Add a ${sc.title}`),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const fields: Record<string, string | null> = {};
    for (const f of sc.fields) {
      const el = form.querySelector(`[name="${f.name}"]`) as HTMLInputElement | null;
      const v = el ? el.value.trim() : "";
      if (entry) {
        if ((entry.fields[f.name] ?? "") !== v) fields[f.name] = v === "" ? null : v;
      } else if (v !== "") fields[f.name] = v;
    }
    const body: Record<string, unknown> = { register: sc.name, fields };
    if (entry) body.ref = entry.ref;
    const refEl = form.querySelector('[name="ref"]') as HTMLInputElement | null;
    const parEl = form.querySelector('[name="parent"]') as HTMLInputElement | null;
    if (refEl) body.ref = refEl.value.trim();
    if (parEl) body.parent = parEl.value.trim();
    try {
      const r = await api<{ ref: string }>("POST", entry ? "/registers/entries/update" : "/registers/entries", body);
      await reload();
      mount(document.getElementById("registers-msg") as HTMLElement, h("p", { class: "ok" }, `${entry ? "Saved" : "Added"} ${r.ref}.`));
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      mount(msg, field ? errorBox(new ApiError((err as ApiError).status, `${field.replace(/_/g, " ")}: ${(err as ApiError).message}`, field)) : errorBox(err));
      const bad = field ? (form.querySelector(`[name="${field}"]`) as HTMLElement | null) : null;
      if (bad) {
        bad.setAttribute("aria-invalid", "true");
        bad.focus();
      }
    }
  });
  return form;
}

async function showHistory(sc: SchemaJ, ref: string, into: HTMLElement): Promise<void> {
  try {
    const res = await api<HistoryJ>("GET", `/registers/history?register=${encodeURIComponent(sc.name)}&ref=${encodeURIComponent(ref)}`);
    mount(
      into,
      h("h2", {}, `History of ${ref}`),
      table(
        ["When", "Who", "Change", "Fields after it"],
        res.history.map((x) => [x.at, x.by, x.change, Object.entries(x.fields).map(([k, v]) => `${k}: ${v}`).join("; ")]),
        "grid history",
      ),
    );
  } catch (e) {
    mount(into, errorBox(e));
  }
}

async function download(sc: SchemaJ, msg: HTMLElement): Promise<void> {
  try {
    const res = await fetch(`/api/v1/registers/export.xlsx?register=${encodeURIComponent(sc.name)}`, { credentials: "same-origin", cache: "no-store" });
    if (!res.ok) throw new ApiError(res.status, `the export failed (${res.status})`);
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `${sc.name}.xlsx` }) as HTMLAnchorElement;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    mount(msg, errorBox(e));
  }
}

export async function registersPage(params: URLSearchParams): Promise<void> {
  const msg = h("div", { id: "registers-msg" });
  const out = h("div", { id: "registers" }, h("p", {}, "Loading…"));
  mount(app, h("h1", {}, "Registers"), msg, out);
  let all: SchemaJ[];
  try {
    // asked each time: what the user may change depends on who is signed in
    all = (await api<{ registers: SchemaJ[] }>("GET", "/registers")).registers;
  } catch (e) {
    mount(out, errorBox(e));
    return;
  }
  const name = params.get("r") || "risk";
  const sc = all.find((s) => s.name === name) ?? all[0];
  const q = params.get("q") ?? "";
  const field = params.get("field") ?? "";
  const value = params.get("value") ?? "";
  const parent = params.get("parent") ?? "";
  const picker = h(
    "select",
    { id: "register-pick", "aria-label": "Register" },
    ...all.map((s) => h("option", { value: s.name, selected: s.name === sc.name }, `${s.title} (${s.name})`)),
  ) as HTMLSelectElement;
  picker.addEventListener("change", () => go(link({ r: picker.value })));
  const qIn = h("input", { id: "register-q", type: "search", value: q, placeholder: "text anywhere" }) as HTMLInputElement;
  const fieldSel = h("select", { id: "register-field", "aria-label": "Field" }, h("option", { value: "" }, "any field"), ...sc.fields.map((f) => h("option", { value: f.name, selected: f.name === field }, f.name))) as HTMLSelectElement;
  const valIn = h("input", { id: "register-value", value, placeholder: "is exactly" }) as HTMLInputElement;
  const parIn = sc.parent ? (h("input", { id: "register-parent", value: parent, placeholder: `parent ${sc.parent.split("|")[0]}` }) as HTMLInputElement) : null;
  const filter = h(
    "form",
    { class: "inline", id: "register-filter" },
    h("label", {}, "Register", picker),
    h("label", {}, "Search", qIn),
    h("label", {}, "Field", fieldSel),
    h("label", {}, "Value", valIn),
    parIn ? h("label", {}, "Parent", parIn) : null,
    h("button", { type: "submit" }, "Filter"),
  );
  filter.addEventListener("submit", (e) => {
    e.preventDefault();
    go(link({ r: sc.name, q: qIn.value.trim(), field: fieldSel.value, value: valIn.value.trim(), parent: parIn ? parIn.value.trim() : "" }));
  });
  const list = h("div", { id: "register-list" });
  const editor = h("div", { id: "register-editor" });
  const hist = h("div", { id: "register-history" });
  const reload = async (): Promise<void> => {
    const qs = new URLSearchParams({ register: sc.name });
    if (q) qs.set("q", q);
    if (field) {
      qs.set("field", field);
      qs.set("value", value);
    }
    if (parent) qs.set("parent", parent);
    try {
      const res = await api<{ items: RegEntryJ[]; matched: number; can_change: boolean }>("GET", `/registers/entries?${qs.toString()}`);
      const shown = sc.fields.slice(0, 5);
      mount(
        list,
        h("p", { class: "note" }, `${res.matched} ${sc.title} entr${res.matched === 1 ? "y" : "ies"}${res.items.length < res.matched ? ` (first ${res.items.length} shown)` : ""}. Changed by: ${sc.roles}.`),
        res.items.length === 0
          ? h("p", {}, "Nothing to show.")
          : table(
              ["Ref", ...(sc.parent ? ["Parent"] : []), ...shown.map((f) => f.name.replace(/_/g, " ")), ...sc.computed.map((c) => c.name.replace(/_/g, " ")), "Clocks", ""],
              res.items.map((e) => [
                e.ref,
                ...(sc.parent ? [e.parent ?? ""] : []),
                ...shown.map((f) => e.fields[f.name] ?? ""),
                ...sc.computed.map((c) => e.computed[c.name] ?? ""),
                e.clocks.map((c) => `${c.rule} due ${c.due} ${c.state}`).join("; "),
                h(
                  "span",
                  {},
                  h("button", { type: "button", class: "history", "data-ref": e.ref, onclick: () => void showHistory(sc, e.ref, hist) }, "History"),
                  res.can_change
                    ? h("button", { type: "button", class: "edit", "data-ref": e.ref, onclick: () => mount(editor, h("h2", {}, `Change ${e.ref}`), entryForm(sc, e, "", msg, reload)) }, "Change")
                    : null,
                ),
              ]),
              "grid register",
            ),
      );
    } catch (e) {
      mount(list, errorBox(e));
    }
  };
  mount(
    out,
    filter,
    h("p", { class: "tools" }, h("button", { type: "button", id: "register-export", onclick: () => void download(sc, msg) }, "Export XLSX"), " ", h("a", { href: "#/figures" }, "Annual report figures")),
    list,
    sc.can_change ? h("details", { class: "add", id: "register-add-box" }, h("summary", {}, `Add a ${sc.title}`), entryForm(sc, null, parent, msg, reload)) : null,
    editor,
    hist,
  );
  await reload();
}

const pct = (r: number | null | undefined): string => (r === null || r === undefined ? "–" : `${Math.round(r * 100)}%`);

interface FiguresJ {
  training_by_course: { key: string; sessions: number; attendees: number; capacity: number; fill: number | null }[];
  training_by_agency: { key: string; booked: number; attendees: number; no_shows: number; share: number | null }[];
  distance: { course: string; outcome: string; attended: number; returns: number; return_rate: number | null; before: number | null; after: number | null; change: number | null }[];
  returns: { kind: string; sector: string; total: number; returned: number; challenged: number; rate: number | null }[];
  open_recommendations: { parent_register: string; parent_ref: string; ref: string; text: string; course: string; actions_open: number; actions_overdue: number }[];
  cdop: { notifications: number; unexpected: number; expected: number; reviewed: number; modifiable: number; modifiable_rate: number | null; under_1_rate: number | null; awaiting_review: number };
  challenges: { total: number; themes: { key: string; n: number }[]; outcomes: { key: string; n: number }[]; agencies: { key: string; n: number; responded: number; mean_days: number | null; stages: number; stages_late: number }[] };
  risk_heatmap: number[][];
}

export async function figuresPage(params: URLSearchParams): Promise<void> {
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  const year = params.get("year") ?? "";
  const fromIn = h("input", { id: "fig-from", type: "date", value: from }) as HTMLInputElement;
  const toIn = h("input", { id: "fig-to", type: "date", value: to }) as HTMLInputElement;
  const yearIn = h("input", { id: "fig-year", value: year, placeholder: "e.g. 2016-17", maxlength: "9" }) as HTMLInputElement;
  const form = h("form", { class: "inline", id: "figures-form" }, h("label", {}, "From", fromIn), h("label", {}, "To", toIn), h("label", {}, "Audit round", yearIn), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams(Object.entries({ from: fromIn.value, to: toIn.value, year: yearIn.value.trim() }).filter(([, v]) => v !== ""));
    go(`#/figures?${q.toString()}`);
  });
  const out = h("div", { id: "figures" }, h("p", {}, "Counting…"));
  mount(app, h("h1", {}, "Annual report figures"), form, out);
  try {
    const q = new URLSearchParams(Object.entries({ from, to, year }).filter(([, v]) => v !== ""));
    const f = await api<FiguresJ>("GET", `/registers/figures?${q.toString()}`);
    mount(
      out,
      h("h2", {}, "Training by course"),
      table(["Course", "Sessions", "Attendees", "Capacity", "Fill"], f.training_by_course.map((r) => [r.key, String(r.sessions), String(r.attendees), String(r.capacity), pct(r.fill)]), "grid figures-training"),
      h("h2", {}, "Training by agency"),
      table(["Agency", "Booked", "Attendees", "No-shows", "Share"], f.training_by_agency.map((r) => [r.key, String(r.booked), String(r.attendees), String(r.no_shows), pct(r.share)])),
      h("h2", {}, "Evaluations and distance travelled"),
      f.distance.length === 0
        ? h("p", {}, "No evaluations.")
        : table(["Course", "Outcome", "Attended", "Returns", "Rate", "Before", "After", "Change"], f.distance.map((d) => [d.course, d.outcome, String(d.attended), String(d.returns), pct(d.return_rate), d.before === null ? "–" : d.before.toFixed(1), d.after === null ? "–" : d.after.toFixed(1), d.change === null ? "–" : (d.change >= 0 ? "+" : "") + d.change.toFixed(1)])),
      h("h2", {}, "Audit returns"),
      table(["Kind", "Sector", "Asked", "Returned", "Rate", "Non-returners challenged"], f.returns.map((r) => [r.kind, r.sector || "all", String(r.total), String(r.returned), pct(r.rate), String(r.challenged)]), "grid figures-returns"),
      h("h2", {}, "Challenges"),
      h("p", {}, `${f.challenges.total} challenges. By theme: ${f.challenges.themes.map((t) => `${t.key} ${t.n}`).join(", ") || "none"}. By outcome: ${f.challenges.outcomes.map((t) => `${t.key} ${t.n}`).join(", ") || "none"}.`),
      table(["Agency challenged", "Challenges", "Responded", "Mean working days", "Stages", "Late"], f.challenges.agencies.map((a) => [a.key, String(a.n), String(a.responded), a.mean_days === null ? "–" : a.mean_days.toFixed(1), String(a.stages), String(a.stages_late)])),
      h("h2", {}, "Open recommendations"),
      table(["Of", "Recommendation", "Course", "Actions open", "Overdue", "Text"], f.open_recommendations.map((r) => [`${r.parent_register} ${r.parent_ref}`, r.ref, r.course, String(r.actions_open), String(r.actions_overdue), r.text])),
      h("h2", {}, "Child deaths"),
      h("p", { id: "figures-cdop" }, `${f.cdop.notifications} notifications (${f.cdop.unexpected} unexpected, ${f.cdop.expected} expected); ${f.cdop.reviewed} reviewed, modifiable factors in ${pct(f.cdop.modifiable_rate)}; under one ${pct(f.cdop.under_1_rate)} of those reviewed; ${f.cdop.awaiting_review} awaiting review.`),
      h("h2", {}, "Open risks before controls (likelihood down, impact across)"),
      table(["Likelihood", "1", "2", "3", "4", "5"], [4, 3, 2, 1, 0].map((l) => [String(l + 1), ...f.risk_heatmap[l].map(String)]), "grid heatmap"),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
