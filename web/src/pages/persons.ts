// People: search records by name or agency id.
import { api, RecordJ } from "../api";
import { AGENCY_NAMES, agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

export function personLink(r: RecordJ): HTMLElement {
  // A pseudonymised row carries no id to open: its pseudonym is shown as it is.
  if (r.pseudonymised) return h("span", { class: "pseudonym" }, r.name);
  const href = r.person_id ? `#/person/${r.person_id}` : `#/record/${r.id}`;
  return h("a", { href, class: "person-link" }, r.name.trim() || "(no name recorded)");
}

export async function personsPage(params: URLSearchParams): Promise<void> {
  const q = h("input", { id: "q", type: "search", name: "q", value: params.get("q") ?? "", placeholder: "name or agency record id" }) as HTMLInputElement;
  const agency = h(
    "select",
    { id: "agency", name: "agency" },
    h("option", { value: "" }, "all agencies"),
    ...Object.entries(AGENCY_NAMES)
      .filter(([k]) => k !== "partnership")
      .map(([k, v]) => {
        const o = h("option", { value: k }, v) as HTMLOptionElement;
        o.selected = params.get("agency") === k;
        return o;
      }),
  ) as HTMLSelectElement;
  const form = h("form", { class: "search", role: "search" }, h("label", {}, "Name or agency record id", q), h("label", {}, "Agency", agency), h("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (q.value) p.set("q", q.value);
    if (agency.value) p.set("agency", agency.value);
    go("#/persons?" + p.toString());
  });
  const results = h("div", { id: "results" }, h("p", {}, "Searching…"));
  mount(app, h("h1", {}, "People"), form, results);
  try {
    const p = new URLSearchParams();
    if (params.get("q")) p.set("q", params.get("q") ?? "");
    if (params.get("agency")) p.set("agency", params.get("agency") ?? "");
    const res = await api<{ items: RecordJ[]; total: number; pseudonymised: boolean }>("GET", "/persons?" + p.toString());
    mount(
      results,
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      h("p", { class: "count" }, `${res.total} record${res.total === 1 ? "" : "s"}${res.total > res.items.length ? `, first ${res.items.length} shown` : ""}`),
      table(
        ["Name", "Date of birth", "Agency", "Source", "Agency's id", "Area"],
        res.items.map((r) => [personLink(r), r.dob ?? "", agencyBadge(r.agency), r.source, r.agency_record_id ?? "", r.area ?? ""]),
        "grid persons",
      ),
    );
  } catch (e) {
    mount(results, errorBox(e));
  }
}
