// The vulnerability tracker: the ranked list with the reasons behind each rank.
import { api } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

export interface ReasonJ {
  indicator: string;
  description: string;
  points: number;
  date: string;
  agency: string;
  record_id: number | null;
  event_id: number | null;
  other_person_id?: number;
  label?: string;
}

export interface PanelPersonJ {
  rank: number;
  transition?: boolean;
  person_id: number;
  name?: string;
  age: number | null;
  area: string;
  score: number;
  band: string;
  change: string | null;
  previous_rank: number | null;
  open_plans: string[];
  agencies: string[];
  top_reasons: string;
  summary?: string;
  reasons: ReasonJ[];
}

export interface PanelJ {
  as_of: string;
  persons_are_records: boolean;
  children: number;
  scored: number;
  on_list: number;
  age_to: number;
  list: PanelPersonJ[];
  left: { person_id: number; previous_rank: number; name?: string }[];
  pseudonymised: boolean;
}

export async function panelPage(params: URLSearchParams): Promise<void> {
  const area = h("input", { id: "area", placeholder: "all areas", value: params.get("area") ?? "" }) as HTMLInputElement;
  const top = h("input", { id: "top", type: "number", min: "1", max: "1000", value: params.get("top") ?? "50" }) as HTMLInputElement;
  // The children's panel by default; transition keeps young adults on the tracker to 25.
  const band = h(
    "select",
    { id: "age-band" },
    h("option", { value: "" }, "Children (under 18)"),
    h("option", { value: "transition" }, "Children and young adults to 25 (transition)"),
  ) as HTMLSelectElement;
  band.value = params.get("age_band") === "transition" ? "transition" : "";
  const form = h("form", { class: "search" }, h("label", {}, "Community area", area), h("label", {}, "How many", top), h("label", {}, "Ages", band), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (area.value) p.set("area", area.value);
    if (top.value) p.set("top", top.value);
    if (band.value) p.set("age_band", band.value);
    go("#/panel?" + p.toString());
  });
  const out = h("div", { id: "panel" }, h("p", {}, "Scoring…"));
  mount(app, h("h1", {}, "Vulnerability Tracker"), form, out);
  try {
    const p = new URLSearchParams();
    for (const k of ["area", "top", "age_band"]) if (params.get(k)) p.set(k, params.get(k) ?? "");
    const res = await api<PanelJ>("GET", "/panel?" + p.toString());
    const link = (id: number, name?: string) =>
      h("a", { href: res.persons_are_records ? `#/record/${id}` : `#/person/${id}`, class: "person-link" }, name?.trim() || `person ${id}`);
    mount(
      out,
      h(
        "p",
        { class: "note" },
        `Scored on ${res.as_of}: ${res.scored} of ${res.children} ${res.age_to >= 18 ? `children and young adults to ${res.age_to}` : "children"} scored, ${res.on_list} on the list.` +
          (res.persons_are_records ? " Records have not been linked yet: each agency record counts as a person." : ""),
      ),
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      res.list.length === 0
        ? h("p", {}, "No child is on the list.")
        : table(
            ["Rank", "Name", "Age", "Area", "Score", "Band", "Change", "Plans", "Agencies", "Reasons"],
            res.list.map((c) => [
              String(c.rank),
              link(c.person_id, c.name),
              c.age === null ? "" : c.transition ? h("span", { class: "transition", title: "18 or over: kept on the tracker for transition to adult services" }, `${c.age} (transition)`) : String(c.age),
              c.area,
              c.score.toFixed(1),
              h("span", { class: `band band-${c.band}` }, c.band),
              c.change ? c.change + (c.previous_rank ? ` (was ${c.previous_rank})` : "") : "",
              c.open_plans.join(", "),
              h("span", {}, ...c.agencies.map((a) => agencyBadge(a))),
              h(
                "details",
                {},
                h("summary", {}, c.summary ?? c.top_reasons),
                h(
                  "ul",
                  { class: "reasons" },
                  ...c.reasons.map((r) =>
                    h(
                      "li",
                      {},
                      `${r.points.toFixed(1)} points · ${r.label ?? r.description} · ${r.date} · `,
                      agencyBadge(r.agency),
                      r.event_id ? h("a", { href: `${res.persons_are_records ? "#/record/" : "#/person/"}${c.person_id}?event=${r.event_id}` }, " see the record") : "",
                    ),
                  ),
                ),
              ),
            ]),
            "grid tracker",
          ),
      res.left.length ? h("p", {}, `Left the list since the last saved panel: ${res.left.map((l) => l.name || `person ${l.person_id}`).join(", ")}`) : null,
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
