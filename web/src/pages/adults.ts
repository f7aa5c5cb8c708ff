// Adult safeguarding: the Safeguarding Adults Collection's figures for a financial year (or
// any period), as `svp adults sac` prints them: concerns, section 42 enquiries, the adults in
// them by age and sex, concluded enquiries by type, location and source of risk, outcomes
// and Making Safeguarding Personal. Aggregate figures only (docs/adults.md defines each).
// Below them, the adult vulnerability list (`svp adults list`): adults whose homes are taken
// over for drug dealing and adults exploited alongside children, each with the reasons that
// put them there, and the cuckooed addresses. The list shows only the adults the viewer may
// see (the one need-to-know check, on the server), with reasons another agency holds
// withheld ("ask them").
import { api } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

type Counts = Record<string, number>;

interface SacJ {
  from: string;
  to: string;
  concerns: number;
  concern_adults: number;
  s42_started: number;
  other_started: number;
  s42_adults: number;
  conversion_pct: number;
  s42_concluded: number;
  s42_adults_by_age: Counts;
  s42_adults_by_sex: Counts;
  concluded_by_type: Counts;
  concluded_by_location: Counts;
  concluded_by_source_of_risk: Counts;
  concluded_by_risk_assessment: Counts;
  risk_result_where_action_taken: Counts;
  msp: Counts;
}

const WORDS: Record<string, string> = {
  F: "Female",
  M: "Male",
  other_or_unknown: "Other or not known",
  not_recorded: "Not recorded",
  own_home: "Own home",
  community: "In the community",
  community_service: "In a community service",
  care_home: "Care home",
  hospital: "Hospital",
  other: "Other",
  service_provider: "Service provider",
  known: "Known to the adult",
  unknown: "Unknown to the adult",
  risk_identified_action: "Risk identified, action taken",
  risk_identified_no_action: "Risk identified, no action taken",
  risk_not_identified: "No risk identified",
  ceased: "Ceased at the adult's request",
  removed: "Risk removed",
  reduced: "Risk reduced",
  remains: "Risk remains",
  financial: "Financial or material",
  neglect: "Neglect and acts of omission",
  domestic_abuse: "Domestic abuse",
  sexual_exploitation: "Sexual exploitation",
  modern_slavery: "Modern slavery",
  self_neglect: "Self-neglect",
};

interface AdultReason {
  indicator: string;
  description: string;
  points: number;
  events: number;
  event_id?: number;
  date?: string;
  agency: string;
  withheld?: boolean;
}

interface AdultEntry {
  rank: number;
  person_id: number | string;
  record_id?: number;
  name?: string;
  age: number;
  score: number;
  last: string;
  reasons: AdultReason[];
}

interface AdultListJ {
  as_of: string;
  adults: number;
  listed: number;
  min_score: number;
  list: AdultEntry[];
  cuckooed_places: { place_id: number; name: string; postcode: string; area: string; events: number; first: string; last: string }[];
  pseudonymised: boolean;
}

function adultLink(e: AdultEntry, pseudo: boolean): HTMLElement | string {
  const label = e.name?.trim() || String(e.person_id || `record ${e.record_id}`);
  if (pseudo || typeof e.person_id === "string") return label;
  return h("a", { href: e.person_id ? `#/person/${e.person_id}` : `#/record/${e.record_id}`, class: "person-link" }, label);
}

async function adultList(out: HTMLElement): Promise<void> {
  try {
    const l = await api<AdultListJ>("GET", "/adults/list?top=100");
    mount(
      out,
      h("h2", {}, "Adult vulnerability list"),
      h(
        "p",
        { class: "note", id: "adults-list-note" },
        `As on ${l.as_of}: ${l.list.length} shown of ${l.listed} listed (score ${l.min_score} or more) among ${l.adults} adults. Indicators and points: docs/indicators.md, "Adults".`,
      ),
      l.list.length
        ? table(
            ["Rank", "Adult", "Age", "Score", "Reasons"],
            l.list.map((e) => [
              String(e.rank),
              adultLink(e, l.pseudonymised),
              String(e.age),
              String(e.score),
              h(
                "ul",
                { class: "reasons" },
                ...e.reasons.map((r) =>
                  h("li", { class: r.withheld ? "withheld" : "" }, `${r.description} (${r.points} points${r.date ? `, ${r.date}` : ""}) `, agencyBadge(r.agency)),
                ),
              ),
            ]),
            "grid adults-list",
          )
        : h("p", {}, "No adult you may see is on the list."),
      h("h2", {}, "Cuckooed addresses"),
      l.cuckooed_places.length
        ? table(
            ["Address", "Postcode", "Area", "Events", "First", "Latest"],
            l.cuckooed_places.map((p) => [p.name, p.postcode, p.area, String(p.events), p.first, p.last]),
            "grid adults-places",
          )
        : h("p", {}, "No cuckooing recorded."),
    );
  } catch (e) {
    mount(out, h("h2", {}, "Adult vulnerability list"), errorBox(e));
  }
}

function word(k: string): string {
  return WORDS[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
}

function pct(a: number, of: number): string {
  return of ? `${((100 * a) / of).toFixed(1)}%` : "–";
}

function breakdown(id: string, title: string, counts: Counts, of: number): HTMLElement {
  return h(
    "section",
    { id, "aria-label": title },
    h("h2", {}, title),
    table(
      ["", "Number", "Share"],
      Object.entries(counts).map(([k, v]) => [word(k), String(v), pct(v, of)]),
      "grid sac",
    ),
  );
}

export async function adultsPage(params: URLSearchParams): Promise<void> {
  const year = h("input", { id: "sac-year", type: "number", min: "1990", max: "2100", value: params.get("year") ?? "" }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "search" },
    h("label", {}, "Financial year from April (blank: the last that has ended)", year),
    h("button", { type: "submit" }, "Show"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("#/adults" + (year.value ? `?year=${encodeURIComponent(year.value)}` : ""));
  });
  const out = h("div", { id: "sac" }, h("p", {}, "Counting…"));
  const list = h("section", { id: "adults-list", "aria-label": "Adult vulnerability list" }, h("p", {}, "Scoring…"));
  mount(app, h("h1", {}, "Adult safeguarding"), form, out, list);
  void adultList(list);
  try {
    const y = params.get("year");
    const f = await api<SacJ>("GET", "/adults/sac" + (y ? `?year=${encodeURIComponent(y)}` : ""));
    const m = f.msp;
    mount(
      out,
      h("p", { class: "note", id: "sac-period" }, `Safeguarding Adults Collection, ${f.from} to ${f.to}.`),
      table(
        ["Figure", "Value"],
        [
          ["Concerns received", String(f.concerns)],
          ["Adults with concerns", String(f.concern_adults)],
          ["Section 42 enquiries started", `${f.s42_started} (${f.conversion_pct.toFixed(1)}% of concerns)`],
          ["Other enquiries started", String(f.other_started)],
          ["Adults in section 42 enquiries", String(f.s42_adults)],
          ["Section 42 enquiries concluded", String(f.s42_concluded)],
        ],
        "grid sac sac-summary",
      ),
      breakdown("sac-age", "Adults in section 42 enquiries by age", f.s42_adults_by_age, f.s42_adults),
      breakdown("sac-sex", "Adults in section 42 enquiries by sex", f.s42_adults_by_sex, f.s42_adults),
      breakdown("sac-type", "Concluded enquiries by type of risk (each type recorded)", f.concluded_by_type, f.s42_concluded),
      breakdown("sac-location", "Concluded enquiries by location of risk", f.concluded_by_location, f.s42_concluded),
      breakdown("sac-source", "Concluded enquiries by source of risk", f.concluded_by_source_of_risk, f.s42_concluded),
      breakdown("sac-outcome", "Concluded enquiries by risk assessment outcome", f.concluded_by_risk_assessment, f.s42_concluded),
      breakdown("sac-result", "Where risk was identified and action taken", f.risk_result_where_action_taken, f.concluded_by_risk_assessment.risk_identified_action ?? 0),
      h(
        "section",
        { id: "sac-msp", "aria-label": "Making Safeguarding Personal" },
        h("h2", {}, "Making Safeguarding Personal"),
        table(
          ["", "Number", "Share"],
          [
            ["Asked about desired outcomes", String(m.asked_yes), pct(m.asked_yes, f.s42_concluded)],
            ["Not asked", String(m.asked_no), pct(m.asked_no, f.s42_concluded)],
            ["Don't know or not recorded", String(m.asked_unknown), pct(m.asked_unknown, f.s42_concluded)],
            ["Outcomes expressed (of those asked)", String(m.expressed), pct(m.expressed, m.asked_yes)],
            ["Fully achieved (of those expressed)", String(m.fully), pct(m.fully, m.expressed)],
            ["Partially achieved", String(m.partially), pct(m.partially, m.expressed)],
            ["Not achieved", String(m.not_achieved), pct(m.not_achieved, m.expressed)],
          ],
          "grid sac",
        ),
      ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
