// The hotspot map: Leaflet draws the GeoJSON svp serves, with no tile layer, so nothing is
// fetched from outside; the county's shape shows through the cells and areas themselves.
import L from "leaflet";
import "leaflet/dist/leaflet.css";

export interface HotProps {
  layer: "gistar" | "area" | "density";
  label?: string;
  count?: number;
  z?: number;
  q?: number;
  significant?: boolean;
  rank?: number;
  place?: string;
  mostly?: string; /* what most of a grid cell's events were: missing, found, exploitation, ... */
  per_km2?: number;
}

export interface DensityGrid {
  min_lat: number;
  min_lon: number;
  dlat: number;
  dlon: number;
  cols: number;
  rows: number;
  peak: number;
  cells: number[]; // pairs: index (row * cols + column), hundredths of events per km2
}

export interface HotCollection {
  type: "FeatureCollection";
  features: { type: "Feature"; geometry: GeoJSON.Geometry; properties: HotProps }[];
  density?: DensityGrid;
}

/* The kernel density, sent as a grid of numbers, drawn on one canvas as eight shades, each
 * one multi-polygon of its cells (a county has 14,000 cells: a shape each is slow to make). */
function drawDensity(map: L.Map, g: DensityGrid): void {
  const renderer = L.canvas({ padding: 0.2 });
  const peak = Math.max(1e-9, g.peak * 100);
  const LEVELS = 8;
  const shades: L.LatLngExpression[][][] = Array.from({ length: LEVELS }, () => []);
  for (let i = 0; i + 1 < g.cells.length; i += 2) {
    const idx = g.cells[i];
    const level = Math.min(LEVELS - 1, Math.floor((g.cells[i + 1] / peak) * LEVELS));
    const col = idx % g.cols;
    const row = Math.floor(idx / g.cols);
    const lat = g.min_lat + row * g.dlat;
    const lon = g.min_lon + col * g.dlon;
    shades[level].push([
      [lat, lon],
      [lat, lon + g.dlon],
      [lat + g.dlat, lon + g.dlon],
      [lat + g.dlat, lon],
    ]);
  }
  shades.forEach((cells, level) => {
    if (cells.length === 0) return;
    L.polygon(cells as unknown as L.LatLngExpression[][][], {
      renderer,
      stroke: false,
      fillColor: "#542788",
      fillOpacity: (0.55 * (level + 0.5)) / LEVELS,
      interactive: false,
    }).addTo(map);
  });
}

function cellColour(p: HotProps): string {
  if (p.significant) return "#b2182b";
  const z = p.z ?? 0;
  if (z > 1) return "#ef8a62";
  if (z > 0) return "#fddbc7";
  return "#d1e5f0";
}

export interface AreaProps {
  code: string;
  name: string;
  kind: string;
  label: [number, number]; // [lon, lat] inside the area, where its name is drawn
}

export interface AreaCollection {
  type: "FeatureCollection";
  features: { type: "Feature"; geometry: GeoJSON.Geometry; properties: AreaProps }[];
}

// A name on the map: a div holding text (textContent: a name cannot carry markup), not
// focusable or clickable, so the keyboard and the hotspots' tooltips are left alone.
function nameLabel(text: string, cls: string, latlng: L.LatLngExpression): L.Marker {
  const node = document.createElement("span");
  node.textContent = text;
  return L.marker(latlng, {
    icon: L.divIcon({ className: cls, html: node, iconSize: undefined }),
    interactive: false,
    keyboard: false,
  });
}

/* Area boundaries (wards, LSOAs, beats imported with `svp context boundaries import`) under
 * the hotspots, each named at its label point. With many areas the names show only once
 * the map is zoomed in past the county view, so they do not pile up. */
function drawAreas(map: L.Map, areas: AreaCollection): L.LayerGroup {
  const group = L.layerGroup();
  L.geoJSON(areas as unknown as GeoJSON.FeatureCollection, {
    style: { color: "#3b3b3b", weight: 1.2, fill: false, dashArray: "4 3" },
    renderer: L.svg(), // lines crisp at any zoom (Leaflet hands these options to each path)
    interactive: false,
  } as unknown as L.GeoJSONOptions).addTo(group);
  const names = L.layerGroup(
    areas.features.map((f) => nameLabel(f.properties.name, "area-label", [f.properties.label[1], f.properties.label[0]])),
  );
  group.addTo(map);
  names.addTo(map);
  return L.layerGroup([group, names]);
}

export function drawHotspots(el: HTMLElement, data: HotCollection, areas?: AreaCollection): L.Map {
  // A county's thousand grid cells are drawn on a canvas (SVG paths are slow in number).
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.25, preferCanvas: true });
  const areaLayer = areas && areas.features.length > 0 ? drawAreas(map, areas) : null;
  if (data.density) drawDensity(map, data.density);
  const density = data.features.filter((f) => f.properties.layer === "density");
  const peak = Math.max(1e-9, ...density.map((f) => f.properties.per_km2 ?? 0));
  const layer = L.geoJSON(data as unknown as GeoJSON.FeatureCollection, {
    style: (f) => {
      const p = (f?.properties ?? {}) as HotProps;
      if (p.layer === "density")
        return { stroke: false, fillColor: "#542788", fillOpacity: 0.55 * ((p.per_km2 ?? 0) / peak) };
      return { color: "#555", weight: 0.5, fillColor: cellColour(p), fillOpacity: p.significant ? 0.75 : 0.45 };
    },
    pointToLayer: (f, latlng) => {
      const p = f.properties as HotProps;
      return L.circleMarker(latlng, {
        radius: 4 + Math.sqrt(p.count ?? 0),
        color: p.significant ? "#67001f" : "#2166ac",
        weight: 2,
        fillOpacity: 0.3,
      });
    },
    onEachFeature: (f, l) => {
      const p = f.properties as HotProps;
      if (p.layer === "density") return;
      const text = `${p.label ?? ""}: ${p.count ?? 0} events, Gi* z ${(p.z ?? 0).toFixed(2)}` +
        (p.significant ? " (hotspot)" : "") + (p.place ? `; most at ${p.place}` : "");
      // Leaflet would parse a string as HTML; a node with textContent cannot run markup
      // that came from a place name.
      const node = document.createElement("span");
      node.textContent = text;
      l.bindTooltip(node);
    },
  });
  layer.addTo(map);
  // The busiest place of each hotspot cell, named on the map (the tooltip says more).
  for (const f of data.features) {
    const p = f.properties;
    if (p.layer === "density" || !p.significant || !p.place) continue;
    const c = L.geoJSON(f as unknown as GeoJSON.Feature).getBounds().getCenter();
    nameLabel(p.place, "place-label", c).addTo(map);
  }
  const b = layer.getBounds();
  if (areaLayer && areas) {
    const ab = L.geoJSON(areas as unknown as GeoJSON.FeatureCollection).getBounds();
    if (ab.isValid()) b.extend(ab);
  }
  if (b.isValid()) map.fitBounds(b, { padding: [12, 12] });
  else map.setView([52, -1.5], 9);
  if (areas && areas.features.length > 40) {
    const county = map.getZoom();
    const crowd = () => el.classList.toggle("names-hidden", map.getZoom() < county + 1);
    map.on("zoomend", crowd);
    crowd();
  }
  return map;
}
