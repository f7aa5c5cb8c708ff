// The association network: Cytoscape.js draws the graph the context room builds on a canvas
// (its default renderer), so no inline style sheet is needed and the strict CSP holds; the
// only styles it sets are CSSOM properties on its own container, which CSP allows.
import cytoscape from "cytoscape";

export interface NetNode {
  id: number;
  key: string;
  person_id: number;
  record_id: number;
  role: string;
  at_risk: boolean;
  name: string | null;
  area: string | null;
  community: number;
  group: number | null;
  degree: number;
  strength: number;
  betweenness: number;
  possible_perpetrator: boolean;
  score: number | null;
  band: string | null;
}

export interface NetEdge {
  source: number;
  target: number;
  weight: number;
  kinds: Record<string, number>;
}

export interface Network {
  nodes: NetNode[];
  edges: NetEdge[];
  communities: { id: number; group: number | null; children: number; members: number[] }[];
  perpetrators: { node: number; children: number; links: { child: number; at_risk: boolean; edge: number }[] }[];
  stats: { persons: number; links: number; communities: number; groups: number; perpetrators: number; modularity: number; empty_reason: string | null };
  hidden: number;
  pseudonymised: boolean;
}

const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928", "#6a3d9a"];

export function nodeLabel(n: NetNode): string {
  return n.name ?? n.key;
}

/* Which nodes to draw: possible perpetrators with the children linked to them, then whole
 * peer groups in the room's order (group 1 first), while they fit in cap; a county's
 * thousands of isolated pairs would hide the groups. With neither, the first cap nodes. */
export function pickNodes(net: Network, cap: number): Set<number> {
  const pick = new Set<number>();
  for (const p of net.perpetrators) {
    const add = [p.node, ...p.links.map((l) => l.child)].filter((i) => !pick.has(i));
    if (pick.size + add.length > cap) break;
    for (const i of add) pick.add(i);
  }
  const groups = net.communities.filter((c) => c.group !== null).sort((a, b) => (a.group ?? 0) - (b.group ?? 0));
  for (const g of groups) {
    const add = g.members.filter((i) => !pick.has(i));
    if (pick.size + add.length > cap) break;
    for (const i of add) pick.add(i);
  }
  if (pick.size === 0) for (const n of net.nodes.slice(0, cap)) pick.add(n.id);
  return pick;
}

/* Cytoscape adds a <style> element ("position: relative" for its container) unless an
 * element with this id is already in the page; under style-src 'self' that inline sheet is
 * refused. A placeholder with the id stops it, and style.css gives the rule instead. */
function suppressInlineSheet(): void {
  const id = "__________cytoscape_stylesheet";
  if (document.getElementById(id)) return;
  const marker = document.createElement("meta");
  marker.id = id;
  document.head.append(marker);
}

export function drawNetwork(el: HTMLElement, net: Network, show: Set<number>): cytoscape.Core {
  suppressInlineSheet();
  const elements: cytoscape.ElementDefinition[] = [];
  for (const n of net.nodes) {
    if (!show.has(n.id)) continue;
    elements.push({
      data: {
        id: `n${n.id}`,
        label: nodeLabel(n),
        colour: PALETTE[n.community % PALETTE.length],
        size: 14 + Math.min(30, Math.sqrt(n.strength) * 4),
      },
      classes: [n.role, n.at_risk ? "risk" : "", n.possible_perpetrator ? "perp" : ""].filter(Boolean).join(" "),
    });
  }
  net.edges.forEach((e, i) => {
    if (show.has(e.source) && show.has(e.target))
      elements.push({ data: { id: `e${i}`, source: `n${e.source}`, target: `n${e.target}`, w: Math.min(8, 1 + e.weight / 2) } });
  });
  return cytoscape({
    container: el,
    elements,
    style: [
      { selector: "node", style: { "background-color": "data(colour)", label: "data(label)", width: "data(size)", height: "data(size)", "font-size": 9, color: "#222" } },
      { selector: "node.adult", style: { shape: "round-rectangle" } },
      { selector: "node.risk", style: { "border-width": 3, "border-color": "#b2182b" } },
      { selector: "node.perp", style: { shape: "triangle", "background-color": "#222" } },
      { selector: "edge", style: { width: "data(w)", "line-color": "#999", opacity: 0.7 } },
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeDimensionsIncludeLabels: true } as cytoscape.LayoutOptions,
    wheelSensitivity: 0.3,
  });
}
