// The daily Domestic Abuse Conference Call: every incident since the previous working day's
// call (GET /da/call, the function behind `svp da call`), each with the level and why, the
// people and children, their history and MARAC referrals, and the actions set; printable for
// partners before the call (print CSS hides the controls) and exported as XLSX (the same
// document as `svp da call --xlsx`). During the call actions are set per case and marked
// done (POST /da/action, /da/action/done); open ones are carried to later calls. The MARAC
// data return figures follow for those who may see them.
import { api, ApiError } from "../api";
import { h, mount, table } from "../components/dom";
import { app, can, errorBox, go } from "../components/shell";

interface PersonJ {
  name: string;
  person_id?: number;
  record_id?: number;
  dob?: string;
  agencies?: string;
  plans?: string;
  school?: string;
}

interface ActionJ {
  id: number;
  incident?: string;
  agency: string;
  action: string;
  owner: string;
  due: string;
  set_on?: string;
}

interface CaseJ {
  ref: string;
  at: string;
  level: string;
  assessed: string;
  has_dash: boolean;
  dash_yes: number;
  dash_asked: number;
  criteria: string[];
  referred: boolean;
  problem?: string;
  victim: PersonJ | null;
  perpetrator: PersonJ | null;
  children: (PersonJ | null)[];
  history: { same_pair: number; victim_other: number; perpetrator_other: number; referrals: number };
  actions: ActionJ[];
}

interface CallJ {
  date: string;
  previous: string;
  from: string;
  to: string;
  cases: CaseJ[];
  carried: ActionJ[];
  pseudonymised: boolean;
  withheld: number;
}

interface FiguresJ {
  from: string;
  to: string;
  incidents: number;
  cases: number;
  repeat_cases: number;
  children: number;
  referrals_police: number;
  referrals_other: number;
  victims_male: number;
  victims_bme: number;
  serial_perpetrators: number;
  repeat_victims: number;
  meets_not_referred: number;
  referrals_by_agency: { agency: string; cases: number }[];
}

const CRITERIA: Record<string, string> = {
  visible_high_risk: "visible high risk",
  professional_judgement: "professional judgement",
  potential_escalation: "potential escalation",
  repeat_marac: "repeat MARAC",
};

function when(iso: string): string {
  return iso.replace("T", " ").replace(/:00Z$/, "");
}

function person(label: string, p: PersonJ | null): HTMLElement {
  if (!p) return h("li", {}, `${label}: not recorded`);
  // linked to the person's page (or the unlinked record's) when the viewer may open it
  const href = p.person_id ? `#/person/${p.person_id}` : p.record_id ? `#/record/${p.record_id}` : "";
  const name = href ? h("a", { href, class: "person-link" }, p.name) : p.name;
  const bits: string[] = [];
  if (p.dob) bits.push(`born ${p.dob}`);
  if (p.agencies) bits.push(`known to ${p.agencies}`);
  if (p.school !== undefined && label.startsWith("Child")) bits.push(`school: ${p.school || "not recorded"}`);
  if (p.plans) bits.push(`open: ${p.plans}`);
  return h("li", {}, h("strong", {}, `${label}: `), name, bits.length ? "; " + bits.join("; ") : "");
}

// Agencies that take part in the call (triage_agency_check).
const AGENCIES = ["police", "csc", "asc", "health", "education", "housing", "probation", "idva", "yjs", "rhi", "military", "other"];

// Set by daPage for the call shown: its day, and how to show it again after a change.
const current = { date: "", reload: async (): Promise<void> => {}, msg: null as HTMLElement | null };

async function changed(text: string): Promise<void> {
  await current.reload();
  if (current.msg) mount(current.msg, h("p", { class: "note" }, text));
}

function failed(e: unknown): void {
  if (current.msg) mount(current.msg, errorBox(e));
}

function actionLine(a: ActionJ): HTMLElement {
  const done = can("administrator", "panel", "practitioner")
    ? h(
        "button",
        {
          type: "button",
          class: "no-print da-done",
          "data-id": String(a.id),
          onclick: () =>
            api("POST", "/da/action/done", { id: a.id, date: current.date })
              .then(() => changed(`Action ${a.id} is done.`))
              .catch(failed),
        },
        "Done",
      )
    : null;
  return h("li", { class: "da-action", id: `action-${a.id}` }, `${a.incident ? a.incident + ": " : ""}${a.agency}: ${a.action} (owner ${a.owner}, due ${a.due})`, done ? " " : "", done);
}

let formNo = 0;

function actionForm(ref: string): HTMLElement | null {
  if (!can("administrator", "panel", "practitioner")) return null;
  const n = ++formNo;
  const agency = h("select", { id: `da-agency-${n}` }, ...AGENCIES.map((a) => h("option", { value: a }, a))) as HTMLSelectElement;
  const what = h("input", { id: `da-what-${n}`, type: "text", maxlength: "500", required: "" }) as HTMLInputElement;
  const owner = h("input", { id: `da-owner-${n}`, type: "text", maxlength: "80", required: "" }) as HTMLInputElement;
  const due = h("input", { id: `da-due-${n}`, type: "date", required: "" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "search no-print da-add", "data-ref": ref },
    h("label", { for: agency.id }, "Agency", agency),
    h("label", { for: what.id, class: "wide" }, "Action", what),
    h("label", { for: owner.id }, "Owner", owner),
    h("label", { for: due.id }, "Due", due),
    h("button", { type: "submit" }, "Add action"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    api("POST", "/da/action", { incident: ref, agency: agency.value, action: what.value, owner: owner.value, due: due.value, date: current.date })
      .then(() => changed(`Action added for ${ref}.`))
      .catch(failed);
  });
  return form;
}

async function download(date: string): Promise<void> {
  try {
    const res = await fetch(`/api/v1/da/call/export.xlsx?date=${encodeURIComponent(date)}`, { credentials: "same-origin", cache: "no-store" });
    if (!res.ok) {
      let msg = `the export failed (${res.status})`;
      try {
        msg = ((await res.json()) as { error?: string }).error ?? msg;
      } catch {
        /* not JSON: keep the status */
      }
      throw new ApiError(res.status, msg);
    }
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `da-call-${date}.xlsx` }) as HTMLAnchorElement;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    failed(e);
  }
}

function caseCard(c: CaseJ, n: number): HTMLElement {
  const dash = c.has_dash ? `DASH ${c.dash_yes} yes of ${c.dash_asked}` : "no DASH answers";
  const hist = c.history;
  return h(
    "article",
    { class: `da-case level-${c.level}`, id: `case-${n}` },
    h(
      "h2",
      {},
      `${n}. ${c.ref} `,
      h("time", { datetime: c.at }, when(c.at)),
      " ",
      h("span", { class: `level level-${c.level}` }, c.level),
      c.assessed && c.assessed !== c.level ? ` (assessed ${c.assessed})` : "",
    ),
    h("p", {}, dash, c.criteria.length ? ` · MARAC criteria: ${c.criteria.map((k) => CRITERIA[k] ?? k).join(", ")}` : ""),
    c.problem ? h("p", { class: "error" }, `Cannot triage: ${c.problem}`) : null,
    h(
      "ul",
      { class: "da-people" },
      person("Victim", c.victim),
      person("Alleged perpetrator", c.perpetrator),
      ...c.children.map((k) => person("Child present", k)),
    ),
    h(
      "p",
      { class: "da-history" },
      `Earlier: ${hist.same_pair} between them, victim ${hist.victim_other} with other partners, perpetrator ${hist.perpetrator_other} against other victims; ${hist.referrals} MARAC referral${hist.referrals === 1 ? "" : "s"} of the victim.`,
    ),
    c.criteria.length && !c.referred ? h("p", { class: "warn" }, "Meets MARAC criteria: no referral recorded.") : null,
    c.actions.length ? h("ul", { class: "da-actions" }, ...c.actions.map(actionLine)) : null,
    c.problem ? null : actionForm(c.ref),
  );
}

async function figures(el: HTMLElement, date: string): Promise<void> {
  // The financial year the call falls in (April to March), as the annual report counts.
  const d = new Date(date + "T00:00:00Z");
  const y = d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
  const from = `${y}-04-01`;
  try {
    const f = await api<FiguresJ>("GET", `/da/figures?from=${from}&to=${date}`);
    const pct = (a: number) => (f.cases ? ` (${Math.round((100 * a) / f.cases)}%)` : "");
    mount(
      el,
      h("h2", {}, `MARAC data return, ${f.from} to ${f.to}`),
      table(
        ["Figure", "Value"],
        [
          ["Domestic abuse incidents", String(f.incidents)],
          ["MARAC cases", String(f.cases)],
          ["Repeat cases", String(f.repeat_cases) + pct(f.repeat_cases)],
          ["Children in the households", String(f.children)],
          ["Referrals from the police", String(f.referrals_police) + pct(f.referrals_police)],
          ["Referrals from other agencies", String(f.referrals_other) + pct(f.referrals_other)],
          ...f.referrals_by_agency.map((a) => [`Referred by ${a.agency}`, String(a.cases) + pct(a.cases)]),
          ["Victims who are male", String(f.victims_male) + pct(f.victims_male)],
          ["Victims from minority ethnic groups", String(f.victims_bme) + pct(f.victims_bme)],
          ["Serial perpetrators", String(f.serial_perpetrators)],
          ["Repeat victims", String(f.repeat_victims)],
          ["Meeting criteria, no referral recorded", String(f.meets_not_referred)],
        ],
        "grid da-figures",
      ),
    );
  } catch {
    mount(el); // practitioners do not see the partnership's figures
  }
}

export async function daPage(params: URLSearchParams): Promise<void> {
  const date = h("input", { id: "da-date", type: "date", value: params.get("date") ?? "" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "search no-print" },
    h("label", {}, "Call on (blank: today)", date),
    h("button", { type: "submit" }, "Show"),
    h("button", { type: "button", id: "da-print", onclick: () => window.print() }, "Print"),
    h("button", { type: "button", id: "da-export", onclick: () => void download(current.date) }, "Export XLSX"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("#/da" + (date.value ? "?date=" + date.value : ""));
  });
  const msg = h("div", { id: "da-msg", class: "no-print", "aria-live": "polite" });
  const out = h("div", { id: "da-call" }, h("p", {}, "Listing the cases…"));
  const figs = h("section", { id: "da-figures", "aria-label": "MARAC figures" });
  mount(app, h("h1", {}, "Domestic abuse conference call"), form, msg, out, figs);
  current.msg = msg;
  current.date = params.get("date") ?? "";
  const show = async (): Promise<void> => {
    const q = current.date ? "?date=" + encodeURIComponent(current.date) : "";
    const call = await api<CallJ>("GET", "/da/call" + q);
    current.date = call.date;
    const high = call.cases.filter((c) => c.level === "high").length;
    const kids = call.cases.filter((c) => c.children.length > 0).length;
    formNo = 0;
    mount(
      out,
      h(
        "p",
        { class: "note", id: "da-window" },
        `Call on ${call.date}: incidents from ${when(call.from)} to ${when(call.to)} (since the call on ${call.previous}). ${call.cases.length} cases, ${high} high risk, ${kids} with children present.${call.pseudonymised ? " Names are pseudonymised." : ""}${call.withheld ? ` ${call.withheld} more your agency may not see (docs/sharing.md).` : ""}`,
      ),
      ...call.cases.map((c, i) => caseCard(c, i + 1)),
      h("h2", {}, "Actions carried from earlier calls"),
      call.carried.length ? h("ul", { id: "da-carried" }, ...call.carried.map(actionLine)) : h("p", { id: "da-carried" }, "None open."),
    );
    void figures(figs, call.date);
  };
  current.reload = () => show().catch(failed);
  try {
    await show();
  } catch (e) {
    mount(out, errorBox(e));
  }
}
