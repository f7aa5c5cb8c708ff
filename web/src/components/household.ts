// The Think Family section of the person page: the people the person lives with, as the
// agencies' records show them, each with age, open plans and the needs any agency's records
// show (domestic abuse, substance misuse, mental ill health: the 'toxic trio'; offending),
// each need with its latest evidence linked to the member's chronology. Members the viewer
// may not see keep their relation only (the server decides: docs/sharing.md).
import { api } from "../api";
import { agencyBadge, h, table } from "./dom";
import { errorBox } from "./shell";

interface EvidenceJ {
  event_id?: number;
  day: string;
  agency: string;
  type: string;
  subtype?: string;
}

interface NeedJ {
  need: string;
  label: string;
  events: number;
  latest: string;
  evidence: EvidenceJ[];
}

interface MemberJ {
  relation: string;
  recorded: boolean;
  agency: string | null;
  basis: string;
  confidence: number;
  withheld: boolean;
  person_id?: number;
  name?: string;
  via?: number | null;
  age?: number | null;
  child?: boolean;
  plans?: string;
  needs?: NeedJ[];
}

interface HouseholdJ {
  linked?: boolean;
  why?: string;
  as_of?: string;
  toxic_trio?: string[];
  members?: MemberJ[];
}

const TRIO_LABELS: Record<string, string> = {
  domestic_abuse: "domestic abuse",
  substance_misuse: "substance misuse",
  mental_health: "mental ill health",
};

function who(m: MemberJ): HTMLElement | string {
  if (m.withheld) return h("span", { class: "note" }, "someone your agency does not hold (ask the agency that recorded the link)");
  const label = `${m.name ?? "(no name)"}${m.age != null ? `, ${m.age}` : ""}`;
  return m.person_id ? h("a", { href: `#/person/${m.person_id}` }, label) : label;
}

function how(m: MemberJ): HTMLElement {
  const parts: (Node | string)[] = [m.basis];
  if (m.recorded && m.agency) parts.push(" by ", agencyBadge(m.agency));
  else parts.push(" (inferred)");
  parts.push(` · confidence ${m.confidence.toFixed(2)}`);
  if (m.via) parts.push(" · through ", h("a", { href: `#/person/${m.via}` }, "another member"));
  return h("span", {}, ...parts);
}

function needs(m: MemberJ): HTMLElement | string {
  if (m.withheld) return "";
  if (!m.needs || !m.needs.length) return h("span", { class: "note" }, "none known");
  return h(
    "ul",
    { class: "needs" },
    ...m.needs.map((n) =>
      h(
        "li",
        {},
        h("strong", {}, n.label),
        ` (${n.events} event${n.events === 1 ? "" : "s"}, latest ${n.latest}): `,
        ...n.evidence.flatMap((e, i) => [
          i ? "; " : "",
          `${e.day} ${e.type.replace(/_/g, " ")}${e.subtype ? ` (${e.subtype.replace(/_/g, " ")})` : ""} `,
          agencyBadge(e.agency),
          m.person_id && e.event_id ? h("a", { href: `#/person/${m.person_id}?event=${e.event_id}`, class: "to-event" }, " see the record") : "",
        ]),
      ),
    ),
  );
}

export function householdSection(res: HouseholdJ | Error): HTMLElement {
  const head = h("h2", { id: "household-title" }, "Household (Think Family)");
  if (res instanceof Error) return h("section", { id: "household", class: "card", "aria-labelledby": "household-title" }, head, errorBox(res));
  if (res.linked === false) return h("section", { id: "household", class: "card", "aria-labelledby": "household-title" }, head, h("p", { class: "note" }, `${res.why ?? "not known"}.`));
  const members = res.members ?? [];
  const trio = res.toxic_trio ?? [];
  return h(
    "section",
    { id: "household", class: "card", "aria-labelledby": "household-title" },
    head,
    h(
      "p",
      { id: "household-trio", class: trio.length >= 2 ? "alert" : "" },
      trio.length ? `Among the adults: ${trio.map((t) => TRIO_LABELS[t] ?? t).join(", ")}${trio.length >= 2 ? " (two or more of the toxic trio)" : ""}.` : "No domestic abuse, substance misuse or mental ill health known among the adults you may see.",
      ` As of ${res.as_of ?? ""}.`,
    ),
    members.length
      ? table(
          ["Who", "Relation", "How we know", "Open plans", "Needs known to agencies"],
          members.map((m) => [who(m), m.relation, how(m), m.withheld ? "" : m.plans && m.plans !== "-" ? m.plans : "none", needs(m)]),
          "grid household",
        )
      : h("p", { class: "note", id: "household-none" }, "No agency records a family or household link for this person."),
  );
}

export async function loadHousehold(id: string): Promise<HouseholdJ | Error> {
  return api<HouseholdJ>("GET", `/persons/${encodeURIComponent(id)}/household`).catch((e) => e as Error);
}
