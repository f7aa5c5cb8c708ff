// Contexts: peer groups and associations drawn as a network.
import { api } from "../api";
import type { Network } from "../components/graph";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

const NETWORK_CAP = 300;

/* The ego view's address for a person of a reply: their id, or for a pseudonymised reply
 * (no raw ids in it) their pseudonym, which the server takes in its place. */
function egoHref(n: { person_id: number | null; record_id: number | null; name?: string | null }, pseudonymised: boolean): string {
  if (pseudonymised && n.name) return n.name.startsWith("P-") ? `#/network?person=${encodeURIComponent(n.name)}` : `#/network?record=${encodeURIComponent(n.name)}`;
  return (n.person_id ?? 0) > 0 ? `#/network?person=${n.person_id}` : `#/network?record=${n.record_id}`;
}

/* The network from one child (or adult): the people within two links, all drawn, the
 * starting person ringed; each person can be the next start. */
async function egoPage(params: URLSearchParams): Promise<void> {
  const who = params.get("person") ? `person=${encodeURIComponent(params.get("person") ?? "")}` : `record=${encodeURIComponent(params.get("record") ?? "")}`;
  const graphEl = h("div", { id: "graph", class: "graph" });
  const out = h("div", { id: "network" }, h("p", {}, "Finding the links…"));
  mount(app, h("h1", {}, "Network from one person"), h("p", {}, h("a", { href: "#/network" }, "Back to the whole network")), graphEl, out);
  try {
    const [net, { drawNetwork, nodeLabel }] = await Promise.all([api<Network & { focus: number; hops: number; truncated: boolean }>("GET", `/contexts/network/ego?${who}&hops=2`), import("../components/graph")]);
    const show = new Set(net.nodes.map((n) => n.id));
    const cy = drawNetwork(graphEl, net, show);
    cy.$(`#n${net.focus}`).addClass("focus");
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
        `${start ? nodeLabel(start) : "This person"}: ${net.nodes.length - 1} people within ${net.hops} links${net.truncated ? " (the nearest 150 shown)" : ""}` +
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
  if (params.get("person") || params.get("record")) return egoPage(params);
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
    const [net, { drawNetwork, nodeLabel, pickNodes }] = await Promise.all([api<Network>("GET", "/contexts/network" + q), import("../components/graph")]);
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
      net.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
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
