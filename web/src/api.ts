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

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
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
    throw new ApiError(res.status, d.error ?? `request failed (${res.status})`, d.field);
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
