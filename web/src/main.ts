// svp's browser application: a hash-routed single page over the JSON API.
import "./style.css";
import { api, ApiError, getPurpose, Session, setPurpose, setSession, User } from "./api";
import { agencyBadge, h, mount, table, AGENCY_NAMES } from "./dom";
import { drawHotspots, HotCollection } from "./map";
import type { Network } from "./graph";

const app = document.getElementById("app") as HTMLElement;
const bar = document.getElementById("bar") as HTMLElement;
let session: Session | null = null;

function go(hash: string): void {
  if (location.hash === hash) void route();
  else location.hash = hash;
}

function errorBox(e: unknown): HTMLElement {
  const msg = e instanceof ApiError ? e.message : "the server could not be reached";
  const status = e instanceof ApiError ? e.status : 0;
  return h("p", { class: "error", role: "alert", "data-status": String(status) }, msg);
}

function can(...roles: string[]): boolean {
  return !!session && roles.includes(session.user.role);
}

function renderBar(): void {
  if (!session) {
    mount(bar, h("span", { class: "brand" }, "svp"));
    return;
  }
  const u = session.user;
  const links: HTMLElement[] = [];
  if (can("administrator", "analyst", "panel", "practitioner")) {
    links.push(h("a", { href: "#/panel" }, "Tracker"));
    links.push(h("a", { href: "#/persons" }, "People"));
  }
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/contexts" }, "Contexts"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/trends" }, "Trends"));
  if (can("administrator", "analyst", "panel", "practitioner")) links.push(h("a", { href: "#/network" }, "Network"));
  if (can("administrator", "analyst")) links.push(h("a", { href: "#/review" }, "Link review"));
  if (can("administrator", "analyst", "panel", "practitioner"))
    links.push(h("a", { href: "#/clocks" }, "Clocks"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/reviews" }, "Case reviews"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/learning" }, "Learning"));
  links.push(h("a", { href: "#/audit" }, u.role === "auditor" ? "Audit trail" : "My activity"));
  if (can("administrator")) links.push(h("a", { href: "#/users" }, "Users"));
  const purposeInput = h("input", {
    id: "purpose",
    type: "text",
    placeholder: "purpose (to see names)",
    value: getPurpose(),
    "aria-label": "Purpose",
  }) as HTMLInputElement;
  purposeInput.addEventListener("change", () => {
    setPurpose(purposeInput.value.trim());
    void route();
  });
  mount(
    bar,
    h("span", { class: "brand" }, "svp"),
    h("nav", {}, ...links),
    u.role === "analyst" ? purposeInput : null,
    h("span", { class: "who", id: "who" }, `${u.username} · ${u.role} · ${AGENCY_NAMES[u.agency] ?? u.agency}`),
    h("button", { id: "signout", type: "button", onclick: () => void signOut() }, "Sign out"),
  );
}

async function signOut(): Promise<void> {
  try {
    await api("DELETE", "/session");
  } catch {
    /* signed out either way */
  }
  session = null;
  setSession(null);
  setPurpose("");
  go("#/login");
}

function loginPage(): void {
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true }) as HTMLInputElement;
  const pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }) as HTMLInputElement;
  const msg = h("div", {});
  const form = h(
    "form",
    { class: "card", id: "login" },
    h("h1", {}, "Sign in"),
    h("label", {}, "Username", user),
    h("label", {}, "Password", pass),
    h("button", { type: "submit" }, "Sign in"),
    msg,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      session = await api<Session>("POST", "/session", { username: user.value, password: pass.value });
      setSession(session);
      go(session.user.must_change ? "#/password" : home());
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  renderBar();
  mount(app, form);
}

function home(): string {
  if (!session) return "#/login";
  if (session.user.must_change) return "#/password";
  if (session.user.role === "auditor") return "#/audit";
  return "#/panel";
}

function passwordPage(): void {
  const old = h("input", { id: "old-password", type: "password", autocomplete: "current-password" }) as HTMLInputElement;
  const next = h("input", { id: "new-password", type: "password", autocomplete: "new-password", minlength: "12" }) as HTMLInputElement;
  const msg = h("div", {});
  const form = h(
    "form",
    { class: "card" },
    h("h1", {}, "Change your password"),
    session?.user.must_change ? h("p", {}, "You signed in with a one-time password. Choose your own (at least 12 characters).") : null,
    h("label", {}, "Current password", old),
    h("label", {}, "New password", next),
    h("button", { type: "submit" }, "Change password"),
    msg,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      session = await api<Session>("POST", "/session/password", { password: old.value, new_password: next.value });
      setSession(session);
      go(home());
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  mount(app, form);
}

interface RecordJ {
  id: number;
  person_id: number | null;
  agency: string;
  source: string;
  name: string;
  dob: string | null;
  sex: string | null;
  postcode: string | null;
  area: string | null;
  agency_record_id: string | null;
  pseudonymised: boolean;
}

interface EventJ {
  id: number;
  record_id: number;
  agency: string;
  source: string;
  type: string;
  subtype?: string;
  started_at: string;
  ended_at?: string;
  place?: string;
  detail?: Record<string, unknown>;
  file?: string;
  line: number;
}

function personLink(r: RecordJ): HTMLElement {
  const href = r.person_id ? `#/person/${r.person_id}` : `#/record/${r.id}`;
  return h("a", { href, class: "person-link" }, r.name.trim() || "(no name recorded)");
}

async function personsPage(params: URLSearchParams): Promise<void> {
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
  const form = h("form", { class: "search", role: "search" }, q, agency, h("button", { type: "submit" }, "Search"));
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
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: state a purpose above to see names.") : null,
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

function eventTitle(e: EventJ): string {
  return e.type.replace(/_/g, " ") + (e.subtype ? ` (${e.subtype})` : "");
}

async function personPage(kind: "person" | "record", id: string): Promise<void> {
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

interface ReasonJ {
  indicator: string;
  description: string;
  points: number;
  date: string;
  agency: string;
  record_id: number | null;
  event_id: number | null;
  other_person_id?: number;
}

interface PanelPersonJ {
  rank: number;
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
  reasons: ReasonJ[];
}

interface PanelJ {
  as_of: string;
  persons_are_records: boolean;
  children: number;
  scored: number;
  on_list: number;
  list: PanelPersonJ[];
  left: { person_id: number; previous_rank: number; name?: string }[];
  pseudonymised: boolean;
}

async function panelPage(params: URLSearchParams): Promise<void> {
  const area = h("input", { id: "area", placeholder: "community area", value: params.get("area") ?? "" }) as HTMLInputElement;
  const top = h("input", { id: "top", type: "number", min: "1", max: "1000", value: params.get("top") ?? "50" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, area, h("label", {}, "top", top), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (area.value) p.set("area", area.value);
    if (top.value) p.set("top", top.value);
    go("#/panel?" + p.toString());
  });
  const out = h("div", { id: "panel" }, h("p", {}, "Scoring…"));
  mount(app, h("h1", {}, "Vulnerability Tracker"), form, out);
  try {
    const p = new URLSearchParams();
    for (const k of ["area", "top"]) if (params.get(k)) p.set(k, params.get(k) ?? "");
    const res = await api<PanelJ>("GET", "/panel?" + p.toString());
    const link = (id: number, name?: string) =>
      h("a", { href: res.persons_are_records ? `#/record/${id}` : `#/person/${id}`, class: "person-link" }, name?.trim() || `person ${id}`);
    mount(
      out,
      h(
        "p",
        { class: "note" },
        `Scored on ${res.as_of}: ${res.scored} of ${res.children} children scored, ${res.on_list} on the list.` +
          (res.persons_are_records ? " Records have not been linked yet: each agency record counts as a person." : ""),
      ),
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: state a purpose above to see names.") : null,
      res.list.length === 0
        ? h("p", {}, "No child is on the list.")
        : table(
            ["Rank", "Name", "Age", "Area", "Score", "Band", "Change", "Plans", "Agencies", "Reasons"],
            res.list.map((c) => [
              String(c.rank),
              link(c.person_id, c.name),
              c.age === null ? "" : String(c.age),
              c.area,
              c.score.toFixed(1),
              h("span", { class: `band band-${c.band}` }, c.band),
              c.change ? c.change + (c.previous_rank ? ` (was ${c.previous_rank})` : "") : "",
              c.open_plans.join(", "),
              h("span", {}, ...c.agencies.map((a) => agencyBadge(a))),
              h(
                "details",
                {},
                h("summary", {}, c.top_reasons),
                h(
                  "ul",
                  { class: "reasons" },
                  ...c.reasons.map((r) =>
                    h("li", {}, `${r.points.toFixed(2)} · ${r.description} · ${r.date} · `, agencyBadge(r.agency), r.event_id ? ` event ${r.event_id}` : ""),
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

async function contextsPage(params: URLSearchParams): Promise<void> {
  const kinds = h(
    "select",
    { id: "kinds" },
    ...[
      ["missing,found,incident", "missing, found and police incidents"],
      ["missing", "where children went missing from"],
      ["found", "where missing children were found"],
      ["incident", "police incidents"],
    ].map(([v, t]) => {
      const o = h("option", { value: v }, t) as HTMLOptionElement;
      o.selected = (params.get("kinds") ?? "missing,found,incident") === v;
      return o;
    }),
  ) as HTMLSelectElement;
  const since = h("input", { id: "since", type: "date", value: params.get("since") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, kinds, h("label", {}, "since", since), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams({ kinds: kinds.value });
    if (since.value) p.set("since", since.value);
    go("#/contexts?" + p.toString());
  });
  const mapEl = h("div", { id: "map", class: "map" });
  const out = h("div", { id: "hotspots" }, h("p", {}, "Finding hotspots…"));
  mount(app, h("h1", {}, "Contexts: hotspots"), form, mapEl, out);
  try {
    const p = new URLSearchParams();
    for (const k of ["kinds", "since"]) if (params.get(k)) p.set(k, params.get(k) ?? "");
    const res = await api<HotCollection & { events_used: number; events_unplaced: number; events_outside: number; empty_reason: string }>(
      "GET",
      "/contexts/hotspots?" + p.toString(),
    );
    drawHotspots(mapEl, res);
    const hot = res.features
      .filter((f) => f.properties.layer !== "density" && f.properties.significant)
      .sort((a, b) => (b.properties.z ?? 0) - (a.properties.z ?? 0));
    mount(
      out,
      h(
        "p",
        { class: "note" },
        res.empty_reason ||
          `${res.events_used} events placed (${res.events_unplaced} without a location, ${res.events_outside} outside the county). Red cells and rings are Getis-Ord Gi* hotspots (false discovery rate 5%); purple shading is event density.`,
      ),
      hot.length === 0
        ? h("p", {}, "No significant hotspot.")
        : table(
            ["Hotspot", "Kind", "Events", "Gi* z", "Most events at"],
            hot.map((f) => [f.properties.label ?? "", f.properties.layer === "area" ? "area" : "grid cell", String(f.properties.count ?? 0), (f.properties.z ?? 0).toFixed(2), f.properties.place ?? ""]),
            "grid hotspots",
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

interface SideJ {
  record_id: number;
  agency: string;
  source: string;
  name: string;
  dob?: string;
  sex?: string;
  postcode?: string;
  area?: string;
  events: number;
}

interface ExplainJ {
  terms: { comparison: string; agreement: string; m: number | null; u: number | null; weight: number }[];
  prior_weight: number;
  weight: number;
  probability: number;
  note?: string;
}

/* The comparison table behind a pair's probability, as `svp link explain A B` prints it. */
async function explainPair(a: number, b: number, into: HTMLElement): Promise<void> {
  mount(into, h("p", {}, "Loading…"));
  try {
    const x = await api<ExplainJ>("GET", `/link/explain?a=${a}&b=${b}`);
    const num = (v: number | null, d: number) => (v === null ? "–" : v.toFixed(d));
    const signed = (w: number) => (w >= 0 ? "+" : "") + w.toFixed(2);
    mount(
      into,
      table(
        ["Comparison", "Agreement", "m", "u", "Weight"],
        [
          ["prior", "(share of candidate pairs)", "", "", signed(x.prior_weight)],
          ...x.terms.map((t) => [t.comparison, t.agreement, num(t.m, 4), num(t.u, 4), signed(t.weight)]),
          ["total", "match weight (log2 odds)", "", "", signed(x.weight)],
        ],
        "grid explain",
      ),
      h("p", {}, `Probability of the same person: ${(x.probability * 100).toFixed(1)}%`),
      x.note ? h("p", { class: "note" }, x.note) : null,
    );
  } catch (e) {
    mount(into, errorBox(e));
  }
}

async function reviewPage(): Promise<void> {
  const out = h("div", { id: "review" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "review-msg" });
  mount(app, h("h1", {}, "Link review"), h("p", { class: "note" }, "Pairs of records the linkage model was unsure of. Your decision overrides the model on every later link."), msg, out);
  const side = (s: SideJ) =>
    h("div", { class: "side" }, agencyBadge(s.agency), ` ${s.name} · ${s.dob ?? "no date of birth"} · ${s.sex ?? ""} · ${s.postcode ?? ""} · ${s.events} events (record ${s.record_id}, ${s.source})`);
  try {
    const res = await api<{ items: { a: SideJ; b: SideJ; probability: number }[]; total: number; pseudonymised: boolean }>("GET", "/link/review");
    const decide = async (a: number, b: number, same: boolean) => {
      try {
        await api("POST", "/link/review", { a, b, same });
        mount(msg, h("p", { class: "ok" }, `Recorded: records ${a} and ${b} are ${same ? "the same person" : "different people"}. It takes effect at the next 'svp link'.`));
        await reviewPage();
      } catch (e) {
        mount(msg, errorBox(e));
      }
    };
    mount(
      out,
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: state a purpose above to see names.") : null,
      h("p", { class: "count" }, `${res.total} pair${res.total === 1 ? "" : "s"} waiting${res.total > res.items.length ? `, first ${res.items.length} shown` : ""}`),
      res.items.length === 0
        ? h("p", {}, "Nothing to review.")
        : table(
            ["Record A", "Record B", "Match probability", ""],
            res.items.map((it) => {
              const why = h("div", { class: "why" });
              return [
                side(it.a),
                side(it.b),
                h("span", {}, `${(it.probability * 100).toFixed(1)}%`, why),
                h(
                  "span",
                  {},
                  h("button", { type: "button", onclick: () => void explainPair(it.a.record_id, it.b.record_id, why) }, "Why?"),
                  h("button", { type: "button", onclick: () => void decide(it.a.record_id, it.b.record_id, true) }, "Same person"),
                  h("button", { type: "button", onclick: () => void decide(it.a.record_id, it.b.record_id, false) }, "Different"),
                ),
              ];
            }),
            "grid review",
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

interface ClockJ {
  rule: string;
  times: string;
  amount: number;
  unit: string;
  source: string;
  due: number;
  on_time: number;
  late: number;
  overdue: number;
  open: number;
  unknown: number;
  pct_on_time: number;
  sentence: string;
}

async function clocksPage(params: URLSearchParams): Promise<void> {
  const from = h("input", { id: "from", type: "date", value: params.get("from") ?? "" }) as HTMLInputElement;
  const to = h("input", { id: "to", type: "date", value: params.get("to") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, h("label", {}, "Deadlines from", from), h("label", {}, "to", to), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const p = new URLSearchParams();
    if (from.value) p.set("from", from.value);
    if (to.value) p.set("to", to.value);
    go("#/clocks?" + p.toString());
  });
  const out = h("div", { id: "clocks" }, h("p", {}, "Counting…"));
  const chart = h("div", { id: "clock-periods" });
  mount(app, h("h1", {}, "Statutory clocks"), form, out, chart);
  void clockChart(chart, params);
  try {
    const p = new URLSearchParams();
    if (params.get("from")) p.set("from", params.get("from") ?? "");
    if (params.get("to")) p.set("to", params.get("to") ?? "");
    const res = await api<{ items: ClockJ[]; as_of: string }>("GET", "/clocks?" + p.toString());
    mount(
      out,
      h("p", { class: "note" }, `Open and overdue as of ${res.as_of}. Working days exclude weekends and England and Wales bank holidays.`),
      res.items.length === 0
        ? h("p", {}, "No clocks in this period.")
        : table(
            ["Timescale", "Limit", "Due", "On time", "Late", "Overdue", "Open", "% on time", "Source"],
            res.items.map((c) => {
              const meter = h("meter", { min: "0", max: "100", low: "60", high: "90", optimum: "100", value: String(Math.max(0, c.pct_on_time)) });
              return [
                h("span", { title: c.sentence }, c.times),
                `${c.amount} ${c.unit}`,
                String(c.due),
                String(c.on_time),
                String(c.late),
                String(c.overdue),
                String(c.open),
                c.pct_on_time < 0 ? "–" : h("span", {}, meter, ` ${c.pct_on_time}%`),
                c.source,
              ];
            }),
            "grid clocks",
          ),
      h("ul", { class: "sentences" }, ...res.items.map((c) => h("li", {}, c.sentence))),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

const NETWORK_CAP = 300;

async function networkPage(params: URLSearchParams): Promise<void> {
  const since = h("input", { id: "net-since", type: "date", value: params.get("since") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, h("label", {}, "links since", since), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("#/network" + (since.value ? "?since=" + since.value : ""));
  });
  const graphEl = h("div", { id: "graph", class: "graph" });
  const out = h("div", { id: "network" }, h("p", {}, "Building the network…"));
  mount(app, h("h1", {}, "Contexts: peer groups and associations"), form, graphEl, out);
  try {
    const q = params.get("since") ? "?since=" + encodeURIComponent(params.get("since") ?? "") : "";
    // Cytoscape and Chart.js are large: loaded (from this server) only by the pages using them.
    const [net, { drawNetwork, nodeLabel, pickNodes }] = await Promise.all([api<Network>("GET", "/contexts/network" + q), import("./graph")]);
    const show = pickNodes(net, NETWORK_CAP);
    if (net.nodes.length > 0) drawNetwork(graphEl, net, show);
    else graphEl.classList.add("empty");
    const label = (i: number) => {
      const n = net.nodes[i];
      if (!n) return "";
      const link = n.person_id > 0 ? `#/person/${n.person_id}` : `#/record/${n.record_id}`;
      return h("a", { href: link }, nodeLabel(n));
    };
    const groups = net.communities.filter((c) => c.group !== null).sort((a, b) => (a.group ?? 0) - (b.group ?? 0));
    const GROUP_ROWS = 100;
    mount(
      out,
      net.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: state a purpose above to see names.") : null,
      net.hidden > 0 ? h("p", { class: "note", id: "net-hidden" }, `${net.hidden} people your agency does not hold are left out.`) : null,
      h(
        "p",
        { class: "note" },
        net.stats.empty_reason ||
          `${net.nodes.length} people, ${net.edges.length} links, ${groups.length} peer group${groups.length === 1 ? "" : "s"}, ${net.perpetrators.length} possible perpetrator${net.perpetrators.length === 1 ? "" : "s"}` +
            (show.size < net.nodes.length ? `; the drawing shows ${show.size} (peer groups and possible perpetrators).` : ".") +
            " Colour is the community; a red ring is a child at risk; a dark triangle is a possible perpetrator. Links are evidence to weigh, not findings.",
      ),
      h("h2", {}, "Peer groups"),
      groups.length === 0
        ? h("p", {}, "No peer group of two or more children.")
        : table(
            ["Group", "Children", "Members"],
            groups.slice(0, GROUP_ROWS).map((c) => [String(c.group), String(c.children), h("span", { class: "members" }, ...c.members.flatMap((m, i) => [i ? ", " : "", label(m)]))]),
            "grid groups",
          ),
      groups.length > GROUP_ROWS ? h("p", { class: "note" }, `First ${GROUP_ROWS} of ${groups.length} peer groups shown; \`svp context groups\` lists them all.`) : null,
      h("h2", {}, "Possible perpetrators"),
      net.perpetrators.length === 0
        ? h("p", {}, "No adult is linked to enough children at risk.")
        : table(
            ["Adult", "Children at risk linked", "Children"],
            net.perpetrators.map((p) => [label(p.node), String(p.children), h("span", {}, ...p.links.flatMap((l, i) => [i ? ", " : "", label(l.child), l.at_risk ? " (at risk)" : ""]))]),
            "grid perps",
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

interface TrendsJ {
  from: string;
  to: string;
  months: number;
  has_previous: boolean;
  empty_reason: string;
  rows: { area: string; kind: string; current: number; previous: number; change_pct: number | null; q: number; significant_rise: boolean; monthly: number[] }[];
}

async function trendsPage(): Promise<void> {
  const canvas = h("canvas", { id: "trend-chart", "aria-label": "Missing episodes per month" }) as HTMLCanvasElement;
  const out = h("div", { id: "trends" }, h("p", {}, "Counting…"));
  mount(app, h("h1", {}, "Trends: missing episodes per month"), h("div", { class: "chart" }, canvas), out);
  try {
    const [t, { lineChart, monthLabels }] = await Promise.all([api<TrendsJ>("GET", "/contexts/trends?kinds=missing&months=12"), import("./charts")]);
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

interface PeriodsJ {
  periods: { label: string; items: ClockJ[] }[];
  as_of: string;
}

async function clockChart(el: HTMLElement, params: URLSearchParams): Promise<void> {
  const p = new URLSearchParams({ by: "month" });
  for (const k of ["from", "to"]) if (params.get(k)) p.set(k, params.get(k) ?? "");
  try {
    const [res, { lineChart }] = await Promise.all([api<PeriodsJ>("GET", "/clocks/periods?" + p.toString()), import("./charts")]);
    const labels = res.periods.map((x) => x.label);
    const rules = new Map<string, string>();
    for (const per of res.periods) for (const c of per.items) if (c.due > 0) rules.set(c.rule, c.times);
    if (rules.size === 0) {
      mount(el, h("p", { class: "note" }, "No clock fell due in this period, so there is nothing to chart."));
      return;
    }
    const canvas = h("canvas", { id: "clock-chart", "aria-label": "Per cent on time by month" }) as HTMLCanvasElement;
    mount(el, h("h2", {}, "Per cent on time, by month of deadline"), h("div", { class: "chart" }, canvas));
    lineChart(
      canvas,
      labels,
      [...rules].map(([rule, times]) => ({
        label: times,
        values: res.periods.map((per) => {
          const c = per.items.find((i) => i.rule === rule);
          return c && c.due > 0 && c.pct_on_time >= 0 ? c.pct_on_time : null;
        }),
      })),
      "% on time",
      100,
    );
  } catch (e) {
    mount(el, errorBox(e));
  }
}

interface EntryJ {
  id: number;
  ref: string;
  fields: Record<string, string | null>;
  created_at: string;
  updated_at: string;
}

interface ReviewClockJ {
  rule: string;
  times: string;
  amount: number;
  unit: string;
  start: string | null;
  due: string | null;
  stop: string | null;
  state: string;
  taken: number;
  late_by: number;
  why: string;
}

const REVIEW_KINDS: Record<string, string> = {
  rapid_review: "rapid review",
  lcspr: "local child safeguarding practice review",
  sar: "safeguarding adults review",
  dhr: "domestic homicide review",
  non_statutory: "non-statutory review",
};

function reviewForm(msg: HTMLElement): HTMLElement | null {
  if (!can("administrator", "panel")) return null;
  const ref = h("input", { id: "rv-ref", type: "text", required: true, placeholder: "reference, e.g. RR-12", "aria-label": "Reference" }) as HTMLInputElement;
  const kind = h("select", { id: "rv-kind", "aria-label": "Kind" }, ...Object.entries(REVIEW_KINDS).map(([k, v]) => h("option", { value: k }, v))) as HTMLSelectElement;
  const title = h("input", { id: "rv-title", type: "text", placeholder: "title that does not identify, e.g. Child E", "aria-label": "Title" }) as HTMLInputElement;
  const awareness = h("input", { id: "rv-awareness", type: "date", "aria-label": "Became aware" }) as HTMLInputElement;
  const notification = h("input", { id: "rv-notification", type: "date", "aria-label": "Notified" }) as HTMLInputElement;
  const form = h("form", { class: "inline", id: "review-form" }, ref, kind, title, h("label", {}, "aware", awareness), h("label", {}, "notified", notification), h("button", { type: "submit" }, "Add review"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { ref: ref.value.trim(), kind: kind.value };
    if (title.value.trim()) body.title = title.value.trim();
    if (awareness.value) body.awareness = awareness.value;
    if (notification.value) body.notification = notification.value;
    try {
      await api("POST", "/reviews", body);
      await reviewsPage();
      mount(document.getElementById("review-msg") as HTMLElement, h("p", { class: "ok" }, `Added review ${body.ref}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return form;
}

async function reviewsPage(): Promise<void> {
  const out = h("div", { id: "reviews" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "review-msg" });
  mount(app, h("h1", {}, "Case review register"), reviewForm(msg), msg, out);
  try {
    const res = await api<{ items: (EntryJ & { clocks: ReviewClockJ[]; late: number; overdue: number })[]; as_of: string }>("GET", "/reviews");
    const dates = ["awareness", "notification", "rapid_review_sent", "decision", "initiation", "final_report_sent", "publication"];
    mount(
      out,
      h("p", { class: "note" }, `${res.items.length} review${res.items.length === 1 ? "" : "s"}; deadlines as of ${res.as_of}, counted in working days where the guidance says so.`),
      res.items.length === 0
        ? h("p", {}, "No case review recorded. Add one with 'svp review add'.")
        : h(
            "div",
            {},
            ...res.items.map((r) =>
              h(
                "section",
                { class: "review" },
                h("h2", {}, `${r.ref} · ${REVIEW_KINDS[r.fields.kind ?? ""] ?? r.fields.kind ?? ""}${r.fields.title ? " · " + r.fields.title : ""}`),
                h(
                  "p",
                  { class: r.overdue ? "error" : "note" },
                  [r.overdue ? `${r.overdue} deadline${r.overdue === 1 ? "" : "s"} overdue` : "", r.late ? `${r.late} met late` : ""].filter(Boolean).join(", ") || "No deadline missed.",
                ),
                h("dl", { class: "dates" }, ...dates.filter((d) => r.fields[d]).flatMap((d) => [h("dt", {}, d.replace(/_/g, " ")), h("dd", {}, r.fields[d] ?? "")])),
                r.clocks.length === 0
                  ? null
                  : table(
                      ["Timescale", "From", "Due", "Stopped", "State", "Late by"],
                      r.clocks.map((c) => [c.times, c.start ?? "–", c.due ?? "–", c.stop ?? "–", h("span", { class: `state state-${c.state.replace(/[^a-z]/g, "")}` }, c.state), c.late_by ? `${c.late_by} ${c.unit}` : c.why || ""]),
                      "grid review-clocks",
                    ),
                r.fields.notes ? h("p", {}, r.fields.notes) : null,
              ),
            ),
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

type ActionJ = EntryJ & { overdue: boolean; evidence: EntryJ[] };

async function learningPage(): Promise<void> {
  const out = h("div", { id: "learning" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "learning-msg" });
  mount(app, h("h1", {}, "Case learning tracker"), msg, out);
  const done = async (ref: string) => {
    try {
      await api("POST", "/learning/done", { ref });
      await learningPage();
      mount(document.getElementById("learning-msg") as HTMLElement, h("p", { class: "ok" }, `Action ${ref} closed.`));
    } catch (e) {
      mount(msg, errorBox(e));
    }
  };
  const doneButton = (a: EntryJ) =>
    can("administrator", "panel") && a.fields.state === "open" ? h("button", { type: "button", "data-ref": a.ref, onclick: () => void done(a.ref) }, "Done") : null;
  try {
    const res = await api<{ items: { review: string; title?: string; recommendations: (EntryJ & { action: ActionJ[] })[] }[]; overdue: EntryJ[]; as_of: string }>("GET", "/learning");
    mount(
      out,
      h("h2", {}, "Overdue actions"),
      res.overdue.length === 0
        ? h("p", { class: "note" }, `No action is overdue as of ${res.as_of}.`)
        : table(["Action", "Owner", "Due", "State", "What"], res.overdue.map((a) => [a.ref, a.fields.owner ?? "", a.fields.due ?? "", a.fields.state ?? "", a.fields.text ?? ""]), "grid overdue"),
      h("h2", {}, "Recommendations and actions"),
      res.items.length === 0
        ? h("p", {}, "No recommendation recorded. Add them with 'svp learning add'.")
        : h(
            "div",
            {},
            ...res.items.map((rv) =>
              h(
                "section",
                { class: "review" },
                h("h3", {}, `${rv.review}${rv.title ? " · " + rv.title : ""}`),
                ...rv.recommendations.map((rec) =>
                  h(
                    "div",
                    { class: "recommendation" },
                    h("p", {}, h("strong", {}, rec.ref), ` ${rec.fields.text ?? ""}`, rec.fields.theme ? ` (${rec.fields.theme})` : ""),
                    rec.action.length === 0
                      ? h("p", { class: "note" }, "No action agreed yet.")
                      : table(
                          ["Action", "Owner", "Due", "State", "Evidence of impact"],
                          rec.action.map((a) => [
                            h("span", { title: a.fields.text ?? "" }, `${a.ref} ${a.fields.text ?? ""}`),
                            a.fields.owner ?? "",
                            a.overdue ? h("span", { class: "overdue" }, `${a.fields.due ?? ""} (overdue)`) : a.fields.due ?? "",
                            h("span", {}, a.fields.state ?? "", " ", doneButton(a)),
                            a.evidence.length === 0 ? "none yet" : h("ul", {}, ...a.evidence.map((ev) => h("li", {}, `${ev.fields.date ?? ""}: ${ev.fields.text ?? ""}`))),
                          ]),
                          "grid actions",
                        ),
                  ),
                ),
              ),
            ),
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

interface AuditJ {
  id: number;
  at: string;
  username: string;
  action: string;
  object: string;
  purpose: string;
  detail: string;
}

async function auditPage(): Promise<void> {
  const auditor = can("auditor");
  const verify = h("div", { id: "verify" });
  const list = h("div", { id: "audit" }, h("p", {}, "Loading…"));
  const verifyButton = auditor
    ? h(
        "button",
        {
          type: "button",
          id: "verify-button",
          onclick: async () => {
            try {
              const r = await api<{ intact: boolean; checked: number; message: string }>("GET", "/audit/verify");
              mount(verify, h("p", { class: r.intact ? "ok" : "error" }, `${r.message} (${r.checked} entries checked)`));
            } catch (e) {
              mount(verify, errorBox(e));
            }
          },
        },
        "Verify the chain",
      )
    : null;
  mount(app, h("h1", {}, auditor ? "Audit trail" : "My activity"), verifyButton, verify, list);
  try {
    const res = await api<{ items: AuditJ[] }>("GET", auditor ? "/audit" : "/audit/mine");
    mount(
      list,
      table(
        ["When", "Who", "Action", "What", "Why", "Detail"],
        res.items.map((a) => [a.at, a.username, a.action, a.object, a.purpose, a.detail]),
        "grid audit",
      ),
    );
  } catch (e) {
    mount(list, errorBox(e));
  }
}

async function usersPage(): Promise<void> {
  const list = h("div", { id: "users" });
  const msg = h("div", { id: "user-msg" });
  const name = h("input", { id: "new-username", placeholder: "username" }) as HTMLInputElement;
  const role = h(
    "select",
    { id: "new-role" },
    ...["practitioner", "panel", "analyst", "auditor", "administrator"].map((r) => h("option", { value: r }, r)),
  ) as HTMLSelectElement;
  const agency = h("select", { id: "new-agency" }, ...Object.entries(AGENCY_NAMES).map(([k, v]) => h("option", { value: k }, v))) as HTMLSelectElement;
  const form = h("form", { class: "inline" }, name, role, agency, h("button", { type: "submit" }, "Add user"));
  const load = async () => {
    try {
      const res = await api<{ items: User[] }>("GET", "/users");
      mount(
        list,
        table(
          ["Username", "Role", "Agency", "State", ""],
          res.items.map((u) => [
            u.username,
            u.role,
            AGENCY_NAMES[u.agency] ?? u.agency,
            u.disabled ? "disabled" : u.locked ? "locked" : u.must_change ? "one-time password" : "active",
            h(
              "span",
              {},
              h("button", { type: "button", onclick: () => void act(u, u.disabled ? "enable" : "disable") }, u.disabled ? "Enable" : "Disable"),
              h("button", { type: "button", onclick: () => void act(u, "reset") }, "Reset password"),
            ),
          ]),
        ),
      );
    } catch (e) {
      mount(list, errorBox(e));
    }
  };
  const act = async (u: User, what: string) => {
    try {
      const r = await api<{ one_time_password?: string }>("POST", `/users/${u.id}/${what}`);
      mount(msg, r.one_time_password ? h("p", { class: "ok" }, `One-time password for ${u.username}: `, h("code", {}, r.one_time_password)) : null);
      await load();
    } catch (e) {
      mount(msg, errorBox(e));
    }
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api<{ user: User; one_time_password: string }>("POST", "/users", { username: name.value, role: role.value, agency: agency.value });
      mount(msg, h("p", { class: "ok" }, `Added ${r.user.username}. One-time password: `, h("code", {}, r.one_time_password)));
      name.value = "";
      await load();
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  mount(app, h("h1", {}, "Users"), form, msg, list);
  await load();
}

async function route(): Promise<void> {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = (path || "/").split("/").filter(Boolean);
  if (!session && parts[0] !== "login") {
    try {
      session = await api<Session>("GET", "/session");
      setSession(session);
    } catch {
      session = null;
    }
  }
  if (!session || parts[0] === "login") {
    session = null;
    loginPage();
    return;
  }
  renderBar();
  if (session.user.must_change && parts[0] !== "password") {
    go("#/password");
    return;
  }
  switch (parts[0]) {
    case "password":
      return passwordPage();
    case "persons":
      return personsPage(new URLSearchParams(query ?? ""));
    case "person":
    case "record":
      return personPage(parts[0], parts[1] ?? "");
    case "panel":
      return panelPage(new URLSearchParams(query ?? ""));
    case "contexts":
      return contextsPage(new URLSearchParams(query ?? ""));
    case "review":
      return reviewPage();
    case "network":
      return networkPage(new URLSearchParams(query ?? ""));
    case "trends":
      return trendsPage();
    case "reviews":
      return reviewsPage();
    case "learning":
      return learningPage();
    case "clocks":
      return clocksPage(new URLSearchParams(query ?? ""));
    case "audit":
      return auditPage();
    case "users":
      return usersPage();
    default:
      go(home());
  }
}

window.addEventListener("hashchange", () => void route());
void route();
