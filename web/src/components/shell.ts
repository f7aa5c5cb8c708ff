// What every page shares: the two page regions, the signed-in session, navigation, the
// role check and the error box.
import { ApiError, Session, setSession } from "../api";
import { h } from "./dom";

export const app = document.getElementById("app") as HTMLElement;
export const bar = document.getElementById("bar") as HTMLElement;

let current: Session | null = null;
let router: () => Promise<void> = async () => {};

/* The signed-in session, or null before sign-in. */
export function session(): Session | null {
  return current;
}

/* Keeps the session (and its CSRF token for the API client); null signs out. */
export function useSession(s: Session | null): void {
  current = s;
  setSession(s);
}

/* The router main.ts installs, so go() can re-render the page already shown. */
export function setRouter(fn: () => Promise<void>): void {
  router = fn;
}

export function go(hash: string): void {
  if (location.hash === hash) void router();
  else location.hash = hash;
}

export function rerender(): void {
  void router();
}

export function errorBox(e: unknown): HTMLElement {
  const msg = e instanceof ApiError ? e.message : "the server could not be reached";
  const status = e instanceof ApiError ? e.status : 0;
  return h("p", { class: "error", role: "alert", "data-status": String(status) }, msg);
}

export function can(...roles: string[]): boolean {
  return !!current && roles.includes(current.user.role);
}

export function home(): string {
  if (!current) return "#/login";
  if (current.user.must_change) return "#/password";
  if (current.user.role === "auditor") return "#/audit";
  return "#/panel";
}
