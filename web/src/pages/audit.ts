// The audit trail (auditors) or one's own activity (everyone else).
import { api } from "../api";
import { h, mount, table } from "../components/dom";
import { app, can, errorBox } from "../components/shell";

export interface AuditJ {
  id: number;
  at: string;
  username: string;
  action: string;
  object: string;
  purpose: string;
  detail: string;
  persons_shown?: number;
}

export async function auditPage(): Promise<void> {
  const auditor = can("auditor");
  const verify = h("div", { id: "verify" });
  const list = h("div", { id: "audit" }, h("p", {}, "Loading…"));
  const verifyButton = auditor
    ? h(
        "button",
        {
          type: "button",
          id: "verify-button",
          onclick: async () => {
            try {
              const r = await api<{ intact: boolean; checked: number; message: string }>("GET", "/audit/verify");
              mount(verify, h("p", { class: r.intact ? "ok" : "error" }, `${r.message} (${r.checked} entries checked)`));
            } catch (e) {
              mount(verify, errorBox(e));
            }
          },
        },
        "Verify the chain",
      )
    : null;
  // Who saw this child: every page view, list, search or network that showed them, and
  // every request for them that was refused.
  const who = h("div", { id: "who-saw" });
  const personId = h("input", { id: "who-person", type: "number", min: "1", name: "person", required: "required" }) as HTMLInputElement;
  const whoForm = auditor
    ? h(
        "form",
        {
          class: "search",
          id: "who-form",
          onsubmit: async (ev: Event) => {
            ev.preventDefault();
            mount(who, h("p", {}, "Loading…"));
            try {
              const r = await api<{ items: AuditJ[] }>("GET", `/audit/person/${encodeURIComponent(personId.value)}`);
              mount(
                who,
                h("p", {}, `${r.items.length} entries name person ${personId.value}`),
                table(
                  ["When", "Who", "Action", "What", "Why", "Detail", "People shown"],
                  r.items.map((a) => [a.at, a.username, a.action, a.object, a.purpose, a.detail, String(a.persons_shown ?? 0)]),
                  "grid audit",
                ),
              );
            } catch (e) {
              mount(who, errorBox(e));
            }
          },
        },
        h("label", {}, "Who saw person (id)", personId),
        h("button", { type: "submit" }, "Find"),
      )
    : null;
  // Break glass: every urgent access beyond the sharing rules, for review.
  const glass = auditor ? h("div", { id: "glass-uses" }, h("p", {}, "Loading…")) : null;
  mount(
    app,
    h("h1", {}, auditor ? "Audit trail" : "My activity"),
    verifyButton,
    verify,
    auditor ? h("h2", {}, "Who saw this person?") : null,
    whoForm,
    who,
    auditor ? h("h2", {}, "Break glass to review") : null,
    glass,
    auditor ? h("h2", {}, "Newest entries") : null,
    list,
  );
  if (glass) {
    try {
      const g = await api<{ items: { id: number; username: string; kind: string; person_id: number; reason: string; text: string; started_at: number; expires_at: number }[] }>("GET", "/audit/break-glass");
      const when = (t: number) => new Date(t * 1000).toISOString().slice(0, 16).replace("T", " ");
      mount(
        glass,
        g.items.length === 0
          ? h("p", {}, "No one has broken glass.")
          : table(
              ["From", "Until", "Who", "Whose records", "Reason", "In their words"],
              g.items.map((x) => [when(x.started_at), when(x.expires_at), x.username, `${x.kind}:${x.person_id}`, x.reason, x.text]),
              "grid audit",
            ),
      );
    } catch (e) {
      mount(glass, errorBox(e));
    }
  }
  try {
    const res = await api<{ items: AuditJ[] }>("GET", auditor ? "/audit" : "/audit/mine");
    mount(
      list,
      table(
        ["When", "Who", "Action", "What", "Why", "Detail"],
        res.items.map((a) => [a.at, a.username, a.action, a.object, a.purpose, a.detail]),
        "grid audit",
      ),
    );
  } catch (e) {
    mount(list, errorBox(e));
  }
}
