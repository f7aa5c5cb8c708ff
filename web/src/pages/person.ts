// One person (or one unlinked record): records held and the chronology.
import { api, EventJ, RecordJ } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox } from "../components/shell";

export function eventTitle(e: EventJ): string {
  return e.type.replace(/_/g, " ") + (e.subtype ? ` (${e.subtype})` : "");
}

export async function personPage(kind: "person" | "record", id: string): Promise<void> {
  mount(app, h("p", {}, "Loading…"));
  try {
    const res = await api<{ person_id: number; records: RecordJ[]; chronology: EventJ[]; pseudonymised: boolean }>(
      "GET",
      `/${kind}s/${encodeURIComponent(id)}`,
    );
    const first = res.records[0];
    const byRecord = new Map(res.records.map((r) => [r.id, r]));
    mount(
      app,
      h("h1", { id: "person-name" }, first?.name.trim() || "(no name recorded)"),
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: state a purpose to see names and details.") : null,
      h("h2", {}, "Records held"),
      table(
        ["Agency", "Source", "Agency's id", "Name", "Date of birth", "Sex", "Postcode"],
        res.records.map((r) => [agencyBadge(r.agency), r.source, r.agency_record_id ?? "", r.name, r.dob ?? "", r.sex ?? "", r.postcode ?? ""]),
        "grid records",
      ),
      h("h2", {}, `Chronology (${res.chronology.length} events)`),
      res.chronology.length === 0
        ? h("p", {}, "No events recorded.")
        : h(
            "ol",
            { class: "chronology", id: "chronology" },
            ...res.chronology.map((e) =>
              h(
                "li",
                { class: `event agency-${e.agency.replace(/[^a-z]/g, "")}` },
                h("time", { datetime: e.started_at }, e.started_at.replace("T", " ").replace("Z", "")),
                agencyBadge(e.agency),
                h("span", { class: "what" }, eventTitle(e)),
                e.place ? h("span", { class: "place" }, e.place) : null,
                h(
                  "span",
                  { class: "source" },
                  `${e.source}${e.file ? ` · ${e.file}` : ""}${e.line ? `:${e.line}` : ""}${byRecord.has(e.record_id) ? "" : ""}`,
                ),
              ),
            ),
          ),
    );
  } catch (e) {
    mount(app, h("h1", {}, "Person"), errorBox(e));
  }
}
