// The JSON API under /api/v1/. The session lives in an HttpOnly cookie the page cannot
// read; the CSRF token comes back from /api/v1/session and goes with every state change.

export interface User {
  id: number;
  username: string;
  role: string;
  agency: string;
  must_change: boolean;
  disabled: boolean;
  locked: boolean;
  created_at: string;
}

export interface Session {
  user: User;
  csrf: string;
  expires_at: number;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public field?: string,
  ) {
    super(message);
  }
  retryAfter = 0; // seconds, from a 503's Retry-After
}

let csrf = "";
let purpose = "";

export function setSession(s: Session | null): void {
  csrf = s ? s.csrf : "";
}

export function setPurpose(p: string): void {
  purpose = p;
}

export function getPurpose(): string {
  return purpose;
}

// A view the server is still preparing for this user, or while it prepares many, answers
// 503 with Retry-After (the server's fairness rule): a read waits that long and asks again,
// a few times, before showing the error.
const BUSY_RETRIES = 4;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await apiOnce<T>(method, path, body);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 503 || method !== "GET" || attempt >= BUSY_RETRIES)
        throw e;
      await sleep(Math.min(30, Math.max(1, e.retryAfter)) * 1000);
    }
  }
}

async function apiOnce<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== "GET") {
    headers["Content-Type"] = "application/json";
    if (csrf) headers["X-CSRF-Token"] = csrf;
  }
  if (purpose) headers["X-SVP-Purpose"] = purpose;
  const res = await fetch("/api/v1" + path, {
    method,
    headers,
    body: body === undefined ? (method === "GET" ? undefined : "{}") : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const d = (data ?? {}) as { error?: string; field?: string };
    const err = new ApiError(res.status, d.error ?? `request failed (${res.status})`, d.field);
    err.retryAfter = Number(res.headers.get("Retry-After") ?? "1") || 1;
    throw err;
  }
  return data as T;
}
export interface RecordJ {
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

export interface EventJ {
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

export interface EntryJ {
  id: number;
  ref: string;
  fields: Record<string, string | null>;
  created_at: string;
  updated_at: string;
}
