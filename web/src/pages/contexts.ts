// Contexts: hotspots of missing, found and police incidents on the map.
import { api } from "../api";
import { AreaCollection, drawHotspots, HotCollection } from "../components/map";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

export async function contextsPage(params: URLSearchParams): Promise<void> {
  const kinds = h(
    "select",
    { id: "kinds" },
    ...[
      ["missing,found,incident", "missing, found and police incidents"],
      ["missing", "where children went missing from"],
      ["found", "where missing children were found"],
      ["incident", "police incidents"],
      ["exploitation", "exploitation-related: flagged police events, NRM referrals, screenings, children found with an adult not their family"],
      ["general", "general police events not flagged as exploitation"],
      ["night", "night-time economy: general police events from 20:00 to 06:00"],
      ["cuckooing", "adults' homes taken over for drug dealing (cuckooing)"],
    ].map(([v, t]) => {
      const o = h("option", { value: v }, t) as HTMLOptionElement;
      o.selected = (params.get("kinds") ?? "missing,found,incident") === v;
      return o;
    }),
  ) as HTMLSelectElement;
  const since = h("input", { id: "since", type: "date", value: params.get("since") ?? "" }) as HTMLInputElement;
  const form = h("form", { class: "search" }, h("label", {}, "What", kinds), h("label", {}, "Since", since), h("button", { type: "submit" }, "Show"));
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
    const [res, areas] = await Promise.all([
      api<HotCollection & { events_used: number; events_unplaced: number; events_outside: number; empty_reason: string }>("GET", "/contexts/hotspots?" + p.toString()),
      api<AreaCollection>("GET", "/contexts/boundaries"),
    ]);
    drawHotspots(mapEl, res, areas);
    const hot = res.features
      .filter((f) => f.properties.layer !== "density" && f.properties.significant)
      .sort((a, b) => (b.properties.z ?? 0) - (a.properties.z ?? 0));
    mount(
      out,
      h(
        "p",
        { class: "note" },
        res.empty_reason ||
          `${res.events_used} events placed (${res.events_unplaced} without a location, ${res.events_outside} outside the county). Red cells and rings are Getis-Ord Gi* hotspots (false discovery rate 5%), named by their busiest place; purple shading is event density.`,
      ),
      h(
        "p",
        { class: "note", id: "areas-note" },
        areas.features.length > 0
          ? `Dashed lines are the ${areas.features.length} area boundaries imported (${[...new Set(areas.features.map((f) => f.properties.kind))].join(", ")}), each named on the map.`
          : "No area boundaries imported: `svp context boundaries import FILE.geojson` adds wards, LSOAs or beats to the map.",
      ),
      hot.length === 0
        ? h("p", {}, "No significant hotspot.")
        : table(
            ["Hotspot", "Kind", "Mostly", "Events", "Gi* z", "Most events at"],
            hot.map((f) => [
              f.properties.label ?? "",
              f.properties.layer === "area" ? "area" : "grid cell",
              f.properties.mostly ?? "",
              String(f.properties.count ?? 0),
              (f.properties.z ?? 0).toFixed(2),
              f.properties.place ?? "",
            ]),
            "grid hotspots",
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
