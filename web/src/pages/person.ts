// One person (or one unlinked record): their place on the Vulnerability Tracker with every
// reason in plain words (one line per event, naming the adult or young person, linked to
// the chronology entry), the adults and young people the score counts with the evidence,
// open plans, the agencies that know them, the records held and the chronology, newest
// first, filtered by agency and kind, with each event's recorded values.
import { api, ApiError, EventJ, RecordJ } from "../api";
import { agencyBadge, AGENCY_NAMES, h, mount, table } from "../components/dom";
import { householdSection, loadHousehold } from "../components/household";
import { app, can, errorBox } from "../components/shell";

export function eventTitle(e: EventJ): string {
  return e.type.replace(/_/g, " ") + (e.subtype ? ` (${e.subtype})` : "");
}

export interface RiskReasonJ {
  indicator: string;
  label: string;
  description: string;
  points: number;
  date: string;
  agency: string;
  record_id: number | null;
  event_id: number | null;
  relationship_id: number | null;
  other_person_id?: number;
  other_kind?: string;
  other_name?: string;
}

interface RiskJ {
  scored: boolean;
  why?: string;
  rank?: number;
  score?: number;
  band?: string;
  change?: string | null;
  previous_rank?: number | null;
  open_plans?: string[];
  agencies?: string[];
  summary?: string;
  reasons?: RiskReasonJ[];
  as_of?: string;
  scored_children?: number;
  on_list?: number;
  compared_with_saved?: string | null;
}

const PLAN_NAMES: Record<string, string> = {
  CIN: "child in need plan",
  CP: "child protection plan",
  LAC: "looked after (care plan)",
  EH: "early help plan",
  YJ: "youth justice order or programme",
};

// Keys of an event's recorded values that name who leads the work, where sources have them.
const LEAD_KEYS = /^(lead_professional|lead|allocated_worker|worker|key_worker|social_worker)$/;

function changeText(r: RiskJ): string {
  if (!r.compared_with_saved) return "no saved panel to compare with";
  switch (r.change) {
    case "new":
      return `new since the panel saved ${r.compared_with_saved}`;
    case "up":
      return `up from rank ${r.previous_rank} (panel saved ${r.compared_with_saved})`;
    case "down":
      return `down from rank ${r.previous_rank} (panel saved ${r.compared_with_saved})`;
    case "same":
      return `same rank as the panel saved ${r.compared_with_saved}`;
    default:
      return r.change ?? "–";
  }
}

function otherLink(r: RiskReasonJ): HTMLElement | string {
  const who = r.other_name ?? "someone";
  return r.other_person_id ? h("a", { href: `#/person/${r.other_person_id}`, class: "person-link" }, who) : who;
}

/* Reasons grouped so one event (or relationship) is one line, naming every adult or young
 * person the score counted with it. */
function reasonLines(reasons: RiskReasonJ[], personId: string): HTMLElement {
  const groups = new Map<string, RiskReasonJ[]>();
  for (const r of reasons) {
    const key = r.event_id ? `e${r.event_id}|${r.indicator}` : r.relationship_id ? `r${r.relationship_id}|${r.indicator}` : `i${r.indicator}|${r.date}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const lines = [...groups.values()].sort((a, b) => b.reduce((s, r) => s + r.points, 0) - a.reduce((s, r) => s + r.points, 0));
  return h(
    "ol",
    { class: "reasons", id: "reasons" },
    ...lines.map((g) => {
      const r = g[0];
      const points = g.reduce((s, x) => s + x.points, 0);
      const others = g.filter((x) => x.other_name);
      return h(
        "li",
        {},
        h("span", { class: "points" }, `${points.toFixed(1)} points`),
        " ",
        h("time", { datetime: r.date }, r.date),
        " ",
        r.label,
        others.length ? h("span", { class: "with" }, ` — ${others[0].other_kind === "adult" ? "adult" : "young person"}: `, ...others.flatMap((o, i) => [i ? ", " : "", otherLink(o)])) : null,
        " ",
        agencyBadge(r.agency),
        r.event_id ? h("a", { href: `#/person/${personId}?event=${r.event_id}`, class: "to-event", "data-event": String(r.event_id) }, " see the record") : null,
      );
    }),
  );
}

/* The adults and young people the score counts, each with the evidence behind it. */
function associates(reasons: RiskReasonJ[], personId: string): HTMLElement {
  const by = new Map<string, RiskReasonJ[]>();
  for (const r of reasons) {
    if (!r.other_name) continue;
    const key = r.other_person_id ? `p${r.other_person_id}` : `n${r.other_name}`;
    const g = by.get(key);
    if (g) g.push(r);
    else by.set(key, [r]);
  }
  if (by.size === 0) return h("p", { class: "note", id: "associates" }, "No adult or young person is counted in the score.");
  return table(
    ["Who", "As", "Evidence"],
    [...by.values()].map((g) => [
      otherLink(g[0]),
      g[0].other_kind ?? "",
      h(
        "ul",
        {},
        ...g.map((r) =>
          h("li", {}, `${r.date} ${r.label} `, agencyBadge(r.agency), r.event_id ? h("a", { href: `#/person/${personId}?event=${r.event_id}`, class: "to-event" }, " see the record") : r.relationship_id ? ` (relationship ${r.relationship_id})` : ""),
        ),
      ),
    ]),
    "grid associates",
  );
}

function riskSection(r: RiskJ, personId: string, events: EventJ[]): HTMLElement {
  if (!r.scored) return h("section", { id: "risk", class: "card" }, h("h2", {}, "Vulnerability Tracker"), h("p", {}, `Not scored: ${r.why ?? "no reason given"}.`));
  const leads = new Set<string>();
  for (const e of events) for (const [k, v] of Object.entries(e.detail ?? {})) if (LEAD_KEYS.test(k) && typeof v === "string" && v) leads.add(v);
  return h(
    "section",
    { id: "risk", class: "card" },
    h("h2", {}, "Vulnerability Tracker"),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Score"),
      h("dd", { id: "risk-score" }, `${(r.score ?? 0).toFixed(1)} `, h("span", { class: `band band-${r.band}` }, r.band ?? "")),
      h("dt", {}, "Rank"),
      h("dd", { id: "risk-rank" }, `${r.rank} of ${r.scored_children} children scored as of ${r.as_of} (${r.on_list} on the list)`),
      h("dt", {}, "Change"),
      h("dd", {}, changeText(r)),
      h("dt", {}, "Open plans"),
      h("dd", { id: "risk-plans" }, r.open_plans && r.open_plans.length ? r.open_plans.map((p) => PLAN_NAMES[p] ?? p).join(", ") : "none recorded"),
      h("dt", {}, "Lead professional"),
      h("dd", {}, leads.size ? [...leads].join(", ") : "not recorded by any source"),
      h("dt", {}, "Known to"),
      h("dd", { id: "known-to" }, ...(r.agencies ?? []).map((a) => agencyBadge(a))),
      h("dt", {}, "Network"),
      h("dd", {}, h("a", { href: `#/network?person=${personId}`, id: "ego-link" }, "people linked to this child (two links)")),
      h("dt", {}, "In short"),
      h("dd", {}, r.summary ?? ""),
    ),
    h("h3", {}, "Reasons, one line per event"),
    reasonLines(r.reasons ?? [], personId),
    h("h3", {}, "Adults and young people counted"),
    associates(r.reasons ?? [], personId),
  );
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function chronology(events: EventJ[], focus: string | null): HTMLElement {
  const newest = [...events].sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : b.id - a.id));
  const agencies = [...new Set(newest.map((e) => e.agency))].sort();
  const kinds = [...new Set(newest.map((e) => e.type))].sort();
  const agency = h("select", { id: "chrono-agency" }, h("option", { value: "" }, "all agencies"), ...agencies.map((a) => h("option", { value: a }, AGENCY_NAMES[a] ?? a))) as HTMLSelectElement;
  const kind = h("select", { id: "chrono-kind" }, h("option", { value: "" }, "all kinds"), ...kinds.map((k) => h("option", { value: k }, k.replace(/_/g, " ")))) as HTMLSelectElement;
  const count = h("p", { class: "count", id: "chrono-count", "aria-live": "polite" });
  const list = h(
    "ol",
    { class: "chronology", id: "chronology", reversed: true },
    ...newest.map((e) => {
      const values = Object.entries(e.detail ?? {});
      return h(
        "li",
        { class: `event agency-${e.agency.replace(/[^a-z]/g, "")}${focus === String(e.id) ? " focus" : ""}`, id: `event-${e.id}`, "data-agency": e.agency, "data-kind": e.type, tabindex: "-1" },
        h("time", { datetime: e.started_at }, e.started_at.replace("T", " ").replace("Z", "")),
        e.ended_at ? h("span", { class: "ended" }, `to ${e.ended_at.replace("T", " ").replace("Z", "")}`) : null,
        agencyBadge(e.agency),
        h("span", { class: "what" }, eventTitle(e)),
        e.place ? h("span", { class: "place" }, e.place) : null,
        values.length ? h("dl", { class: "values" }, ...values.flatMap(([k, v]) => [h("dt", {}, k.replace(/_/g, " ")), h("dd", {}, valueText(v))])) : null,
        h("span", { class: "source" }, `event ${e.id} · ${e.source}${e.file ? ` · ${e.file}` : ""}${e.line ? `:${e.line}` : ""}`),
      );
    }),
  );
  const apply = () => {
    let shown = 0;
    for (const li of Array.from(list.children) as HTMLElement[]) {
      const ok = (!agency.value || li.dataset.agency === agency.value) && (!kind.value || li.dataset.kind === kind.value);
      li.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = `${shown} of ${events.length} events shown, newest first`;
  };
  agency.addEventListener("change", apply);
  kind.addEventListener("change", apply);
  apply();
  return h(
    "section",
    { id: "chronology-section" },
    h("h2", {}, `Chronology (${events.length} events)`),
    events.length === 0
      ? h("p", {}, "No events recorded.")
      : h("div", {}, h("form", { class: "search", role: "search", "aria-label": "Filter the chronology" }, h("label", {}, "Agency", agency), h("label", {}, "Kind", kind)), count, list),
  );
}

/* Break glass (docs/sharing.md): when the sharing rules refuse a person a practitioner or
 * panel member urgently needs, they may open every record of that person for a limited
 * time, giving a reason from the partnership's list and their own words. Audited, and
 * listed for the auditor's review. */
async function breakGlassForm(kind: "person" | "record", id: string): Promise<HTMLElement> {
  const box = h("section", { id: "break-glass", class: "break-glass", "aria-labelledby": "glass-title" });
  let reasons: { code: string; description: string }[] = [];
  try {
    reasons = (await api<{ items: { code: string; description: string }[] }>("GET", "/break-glass/reasons")).items;
  } catch (e) {
    mount(box, errorBox(e));
    return box;
  }
  const reason = h("select", { id: "glass-reason", name: "reason", required: "required" }, ...reasons.map((r) => h("option", { value: r.code }, r.description))) as HTMLSelectElement;
  const text = h("textarea", { id: "glass-text", name: "text", required: "required", minlength: "10", maxlength: "250", rows: "2" }) as HTMLTextAreaElement;
  const minutes = h("select", { id: "glass-minutes", name: "minutes" }, ...[15, 30, 60, 120, 240].map((m) => h("option", m === 60 ? { value: String(m), selected: "selected" } : { value: String(m) }, `${m} minutes`))) as HTMLSelectElement;
  const msg = h("div", { id: "glass-msg" });
  const form = h(
    "form",
    {
      id: "glass-form",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          await api("POST", `/persons/${encodeURIComponent(id)}/break-glass`, { reason: reason.value, text: text.value, minutes: Number(minutes.value) });
          await personPage(kind, id);
        } catch (e) {
          mount(msg, errorBox(e));
        }
      },
    },
    h("label", {}, "Reason", reason),
    h("label", {}, "In your own words", text),
    h("label", {}, "For", minutes),
    h("button", { type: "submit", id: "glass-submit" }, "Break glass"),
  );
  mount(
    box,
    h("h2", { id: "glass-title" }, "Urgent: break glass"),
    h("p", { class: "note" }, "Only when a child is at risk now and you cannot wait to ask the agency that holds the records. You will see every record of this person for the time you choose. Your name, reason and words are recorded and the auditor reviews every use."),
    form,
    msg,
  );
  return box;
}

export async function personPage(kind: "person" | "record", id: string, params = new URLSearchParams()): Promise<void> {
  mount(app, h("p", {}, "Loading…"));
  try {
    const [res, risk, household] = await Promise.all([
      api<{ person_id: number; records: RecordJ[]; chronology: EventJ[]; pseudonymised: boolean; access?: string; known_to?: { agency: string; shown: boolean }[]; withheld_events?: number }>("GET", `/${kind}s/${encodeURIComponent(id)}`),
      kind === "person" ? api<RiskJ>("GET", `/persons/${encodeURIComponent(id)}/risk`).catch((e) => e as Error) : Promise.resolve(null),
      kind === "person" ? loadHousehold(id) : Promise.resolve(null),
    ]);
    const first = res.records[0];
    const focus = params.get("event");
    mount(
      app,
      h("h1", { id: "person-name" }, first?.name.trim() || "(no name recorded)"),
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      res.access === "break glass" ? h("p", { class: "note glass", id: "glass-banner", role: "status" }, "Break glass: you see every record of this person for the time you chose. Each view is audited and the auditor reviews this use.") : null,
      // Known to: every agency that holds a record of this person, even where the sharing
      // rules show nothing of it here, so that the line prompts a conversation.
      (res.known_to ?? []).length
        ? h(
            "p",
            { id: "known-to-line", class: "known-to" },
            "Known to: ",
            ...(res.known_to ?? []).flatMap((k) => [agencyBadge(k.agency), k.shown ? " " : h("span", { class: "note" }, " (not shared with you: ask them) ")]),
          )
        : null,
      res.withheld_events ? h("p", { class: "note", id: "withheld-note" }, `${res.withheld_events} events held by other agencies are not shown under the sharing rules.`) : null,
      risk instanceof Error ? errorBox(risk) : risk ? riskSection(risk, id, res.chronology) : null,
      household ? householdSection(household) : null,
      h("h2", {}, "Records held"),
      table(
        ["Agency", "Source", "Agency's id", "Name", "Date of birth", "Sex", "Postcode"],
        res.records.map((r) => [agencyBadge(r.agency), r.source, r.agency_record_id ?? "", r.name, r.dob ?? "", r.sex ?? "", r.postcode ?? ""]),
        "grid records",
      ),
      chronology(res.chronology, focus),
    );
    if (focus) {
      const li = document.getElementById(`event-${focus}`);
      if (li) {
        li.scrollIntoView({ block: "center" });
        li.focus();
      }
    }
  } catch (e) {
    const refused = e instanceof ApiError && e.status === 403 && kind === "person" && can("practitioner", "panel");
    mount(app, h("h1", {}, "Person"), errorBox(e), refused ? await breakGlassForm(kind, id) : null);
  }
}
