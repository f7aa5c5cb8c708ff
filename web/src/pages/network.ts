// Contexts: peer groups and associations drawn as a network.
import { api } from "../api";
import type { Network } from "../components/graph";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

interface Found {
  people: { kind: "person"; label: string; ref: string; role: string; group: number | null; at_risk: boolean }[];
  groups: { kind: "group"; group: number; members: number; children: number }[];
  more: boolean;
  pseudonymised: boolean;
}

/* Find a person (by name, or by the pseudonym shown to an analyst) or a peer group (by its
 * number): one answer opens the network centred on it, several are listed to choose from. */
function searchForm(): HTMLElement {
  const q = h("input", { id: "net-q", type: "search", autocomplete: "off", placeholder: "e.g. Okafor, P-…, group 3" }) as HTMLInputElement;
  const out = h("div", { id: "net-found", "aria-live": "polite" });
  const form = h("form", { class: "search", id: "net-search", role: "search" }, h("label", {}, "Find a person or peer group", q), h("button", { type: "submit" }, "Find"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    mount(out, h("p", {}, "Searching…"));
    try {
      const res = await api<Found>("GET", "/contexts/network/search?q=" + encodeURIComponent(q.value.trim()));
      const hits = [
        ...res.groups.map((g) => ({ href: `#/network?group=${g.group}`, text: `peer group ${g.group}: ${g.members} people, ${g.children} children` })),
        ...res.people.map((p) => ({ href: `#/network?${p.ref}`, text: `${p.label} (${p.role}${p.group ? `, peer group ${p.group}` : ""}${p.at_risk ? ", at risk" : ""})` })),
      ];
      if (hits.length === 1) return go(hits[0].href);
      mount(
        out,
        hits.length === 0
          ? h("p", { class: "note" }, "No one in the network matches (only people you may see are searched; analysts search by pseudonym).")
          : h("ul", { class: "found" }, ...hits.map((x) => h("li", {}, h("a", { href: x.href }, x.text)))),
        res.more ? h("p", { class: "note" }, "More match: type more of the name.") : null,
      );
    } catch (err) {
      mount(out, errorBox(err));
    }
  });
  return h("div", {}, form, out);
}

/* The ego view's address for a person of a reply: their id, or for a pseudonymised reply
 * (no raw ids in it) their pseudonym, which the server takes in its place. */
function egoHref(n: { person_id: number | null; record_id: number | null; name?: string | null }, pseudonymised: boolean): string {
  if (pseudonymised && n.name) return n.name.startsWith("P-") ? `#/network?person=${encodeURIComponent(n.name)}` : `#/network?record=${encodeURIComponent(n.name)}`;
  return (n.person_id ?? 0) > 0 ? `#/network?person=${n.person_id}` : `#/network?record=${n.record_id}`;
}

/* The network from one child (or adult): the people within two links, all drawn, the
 * starting person ringed; each person can be the next start. */
async function egoPage(params: URLSearchParams): Promise<void> {
  const group = params.get("group");
  const who = group
    ? `group=${encodeURIComponent(group)}`
    : params.get("person")
      ? `person=${encodeURIComponent(params.get("person") ?? "")}`
      : `record=${encodeURIComponent(params.get("record") ?? "")}`;
  const graphEl = h("div", { id: "graph", class: "graph" });
  const out = h("div", { id: "network" }, h("p", {}, "Finding the links…"));
  mount(app, h("h1", {}, group ? `Network around peer group ${group}` : "Network from one person"), h("p", {}, h("a", { href: "#/network" }, "Back to the whole network")), searchForm(), graphEl, out);
  try {
    const [net, { drawNetwork, nodeLabel }] = await Promise.all([api<Network & { focus: number; hops: number; truncated: boolean }>("GET", `/contexts/network/ego?${who}&hops=2`), import("../components/graph")]);
    const show = new Set(net.nodes.map((n) => n.id));
    const cy = drawNetwork(graphEl, net, show);
    // The start (a person, or a group's members) ringed, and the view centred on it.
    const starts = net.nodes.filter((n) => ((n as { hops?: number }).hops ?? 0) === 0);
    for (const n of starts) cy.$(`#n${n.id}`).addClass("focus");
    cy.fit(cy.$(".focus").closedNeighborhood(), 40);
    cy.on("tap", "node", (ev) => {
      const n = net.nodes[Number(String(ev.target.id()).slice(1))];
      if (n) go(egoHref(n, net.pseudonymised));
    });
    const start = net.nodes[net.focus];
    const rows = [...net.nodes].sort((a, b) => ((a as { hops?: number }).hops ?? 0) - ((b as { hops?: number }).hops ?? 0));
    mount(
      out,
      net.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      h(
        "p",
        { class: "note", id: "ego-note" },
        (group
          ? `Peer group ${group}: ${starts.length} members you may see, ${net.nodes.length - starts.length} people within ${net.hops} links of them`
          : `${start ? nodeLabel(start) : "This person"}: ${net.nodes.length - 1} people within ${net.hops} links`) +
          `${net.truncated ? " (the nearest shown)" : ""}` +
          (net.hidden > 0 ? `; ${net.hidden} your agency does not hold are left out` : "") +
          ". Tap a person to start from them. Links are evidence to weigh, not findings.",
      ),
      table(
        ["Person", "Links away", "Role", "At risk", ""],
        rows.map((n) => [
          net.pseudonymised ? nodeLabel(n) : h("a", { href: n.person_id > 0 ? `#/person/${n.person_id}` : `#/record/${n.record_id}` }, nodeLabel(n)),
          String((n as { hops?: number }).hops ?? 0),
          n.possible_perpetrator ? "possible perpetrator" : n.role,
          n.at_risk ? "yes" : "",
          h("a", { href: egoHref(n, net.pseudonymised), class: "ego-start" }, "start here"),
        ]),
        "grid ego",
      ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}

export async function networkPage(params: URLSearchParams): Promise<void> {
  if (params.get("person") || params.get("record") || params.get("group")) return egoPage(params);
  const since = h("input", { id: "net-since", type: "date", value: params.get("since") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, h("label", {}, "links since", since), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("#/network" + (since.value ? "?since=" + since.value : ""));
  });
  const graphEl = h("div", { id: "graph", class: "graph" });
  const out = h("div", { id: "network" }, h("p", {}, "Building the network…"));
  mount(app, h("h1", {}, "Contexts: peer groups and associations"), searchForm(), form, graphEl, out);
  try {
    const q = params.get("since") ? "?since=" + encodeURIComponent(params.get("since") ?? "") : "";
    // Cytoscape and Chart.js are large: loaded (from this server) only by the pages using them.
    // The server sends the view only: the people drawn (marked "drawn") and the first peer
    // groups' members for the table; search reaches anyone else.
    const [net, { drawNetwork, nodeLabel }] = await Promise.all([
      api<Network & { view?: { nodes_total: number; draw_cap: number; groups_listed: number } }>("GET", "/contexts/network" + q),
      import("../components/graph"),
    ]);
    const show = new Set(net.nodes.filter((n) => (n as { drawn?: boolean }).drawn).map((n) => n.id));
    if (show.size > 0) drawNetwork(graphEl, net, show);
    else graphEl.classList.add("empty");
    const label = (i: number) => {
      const n = net.nodes[i];
      if (!n) return "";
      const link = n.person_id > 0 ? `#/person/${n.person_id}` : `#/record/${n.record_id}`;
      return h("a", { href: link }, nodeLabel(n));
    };
    const GROUP_ROWS = net.view?.groups_listed ?? 40;
    const groups = net.communities.filter((c) => c.group !== null && (c.group ?? 0) <= GROUP_ROWS).sort((a, b) => (a.group ?? 0) - (b.group ?? 0));
    const allGroups = net.stats.groups ?? groups.length;
    mount(
      out,
      net.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      net.hidden > 0 ? h("p", { class: "note", id: "net-hidden" }, `${net.hidden} people your agency does not hold are left out.`) : null,
      h(
        "p",
        { class: "note" },
        net.stats.empty_reason ||
          `${net.stats.persons} people, ${net.stats.links} links, ${allGroups} peer group${allGroups === 1 ? "" : "s"}, ${net.stats.perpetrators} possible perpetrator${net.stats.perpetrators === 1 ? "" : "s"} in the whole network` +
            `; the drawing shows ${show.size} (possible perpetrators and peer groups, first first). Find anyone else above.` +
            " Colour is the community; a red ring is a child at risk; a dark triangle is a possible perpetrator. Links are evidence to weigh, not findings.",
      ),
      h("h2", {}, "Peer groups"),
      groups.length === 0
        ? h("p", {}, "No peer group of two or more children.")
        : table(
            ["Group", "Children", "Members"],
            groups.map((c) => [h("a", { href: `#/network?group=${c.group}` }, String(c.group)), String(c.children), h("span", { class: "members" }, ...c.members.flatMap((m, i) => [i ? ", " : "", label(m)]))]),
            "grid groups",
          ),
      allGroups > groups.length ? h("p", { class: "note" }, `First ${groups.length} of ${allGroups} peer groups listed: find one by its number above, or \`svp context groups\` lists them all.`) : null,
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
