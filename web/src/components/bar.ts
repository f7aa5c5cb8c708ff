// The bar across the top: the pages this role may open, the analyst's purpose, who is
// signed in, and signing out.
import { api, getPurpose, setPurpose } from "../api";
import { AGENCY_NAMES, h, mount } from "./dom";
import { bar, can, go, rerender, session, useSession } from "./shell";

export function renderBar(): void {
  const s = session();
  if (!s) {
    mount(bar, h("span", { class: "brand" }, "svp"));
    return;
  }
  const u = s.user;
  const links: HTMLElement[] = [];
  if (can("administrator", "analyst", "panel", "practitioner")) {
    links.push(h("a", { href: "#/panel" }, "Tracker"));
    links.push(h("a", { href: "#/persons" }, "People"));
    if (can("administrator", "panel")) links.push(h("a", { href: "#/meeting" }, "Meeting"));
  }
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/contexts" }, "Contexts"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/trends" }, "Trends"));
  if (can("administrator", "analyst", "panel", "practitioner")) links.push(h("a", { href: "#/network" }, "Network"));
  if (can("administrator", "analyst")) links.push(h("a", { href: "#/review" }, "Link review"));
  if (can("administrator", "analyst", "panel", "practitioner"))
    links.push(h("a", { href: "#/clocks" }, "Clocks"));
  if (can("administrator", "analyst", "panel", "practitioner")) links.push(h("a", { href: "#/da" }, "DA call"));
  if (can("administrator", "analyst", "panel", "practitioner")) links.push(h("a", { href: "#/dataset" }, "Dataset"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/adults" }, "Adults"));
  if (can("administrator", "analyst", "panel", "practitioner")) links.push(h("a", { href: "#/transition" }, "Turning 18"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/reviews" }, "Case reviews"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/learning" }, "Learning"));
  if (can("administrator", "analyst", "panel")) links.push(h("a", { href: "#/registers" }, "Registers"));
  if (can("administrator", "analyst")) links.push(h("a", { href: "#/sources" }, "Sources"));
  links.push(h("a", { href: "#/audit" }, u.role === "auditor" ? "Audit trail" : "My activity"));
  if (can("administrator")) links.push(h("a", { href: "#/users" }, "Users"));
  const purposeInput = h("input", {
    id: "purpose",
    type: "text",
    placeholder: "purpose code (recorded)",
    value: getPurpose(),
  }) as HTMLInputElement;
  purposeInput.addEventListener("change", () => {
    setPurpose(purposeInput.value.trim());
    rerender();
  });
  mount(
    bar,
    h("span", { class: "brand" }, "svp"),
    h("nav", {}, ...links),
    u.role === "analyst" ? h("label", { class: "purpose" }, "Purpose", purposeInput) : null,
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
  useSession(null);
  setPurpose("");
  go("#/login");
}
