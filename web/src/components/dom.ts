// Building the page with DOM calls and textContent only: text from the server is never
// parsed as HTML, so a name like "<script>" shows as itself.

type Child = Node | string | null | undefined | false;

export function h(
  tag: string,
  attrs: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: Child[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "function") el.addEventListener(k.replace(/^on/, ""), v);
    else if (v === true) el.setAttribute(k, "");
    else if (v !== false) el.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return el;
}

export function mount(el: HTMLElement, ...children: Child[]): void {
  el.replaceChildren();
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
}

export function table(headers: string[], rows: Child[][], cls = "grid"): HTMLElement {
  return h(
    "table",
    { class: cls },
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))),
  );
}

export const AGENCY_NAMES: Record<string, string> = {
  csc: "Children's social care",
  police: "Police",
  health: "Health",
  education: "Education",
  yjs: "Youth justice",
  rhi: "Return home interviews",
  partnership: "Partnership",
};

export function agencyBadge(agency: string): HTMLElement {
  return h("span", { class: `agency agency-${agency.replace(/[^a-z]/g, "")}`, title: AGENCY_NAMES[agency] ?? agency }, AGENCY_NAMES[agency] ?? agency);
}
