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
  mount(app, h("h1", {}, auditor ? "Audit trail" : "My activity"), verifyButton, verify, list);
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
