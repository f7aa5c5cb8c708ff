// Link review: pairs of records the linkage model was unsure of.
import { api } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox } from "../components/shell";

export interface SideJ {
  record_id: number | string; // a pseudonym (R-...) for a pseudonymised reviewer
  agency: string;
  source: string;
  name: string;
  dob?: string;
  sex?: string;
  postcode?: string;
  area?: string;
  events: number;
}

export interface ExplainJ {
  terms: { comparison: string; agreement: string; m: number | null; u: number | null; weight: number }[];
  prior_weight: number;
  weight: number;
  probability: number;
  note?: string;
}

/* The comparison table behind a pair's probability, as `svp link explain A B` prints it. */
async function explainPair(a: number | string, b: number | string, into: HTMLElement): Promise<void> {
  mount(into, h("p", {}, "Loading…"));
  try {
    const x = await api<ExplainJ>("GET", `/link/explain?a=${encodeURIComponent(String(a))}&b=${encodeURIComponent(String(b))}`);
    const num = (v: number | null, d: number) => (v === null ? "–" : v.toFixed(d));
    const signed = (w: number) => (w >= 0 ? "+" : "") + w.toFixed(2);
    mount(
      into,
      table(
        ["Comparison", "Agreement", "m", "u", "Weight"],
        [
          ["prior", "(share of candidate pairs)", "", "", signed(x.prior_weight)],
          ...x.terms.map((t) => [t.comparison, t.agreement, num(t.m, 4), num(t.u, 4), signed(t.weight)]),
          ["total", "match weight (log2 odds)", "", "", signed(x.weight)],
        ],
        "grid explain",
      ),
      h("p", {}, `Probability of the same person: ${(x.probability * 100).toFixed(1)}%`),
      x.note ? h("p", { class: "note" }, x.note) : null,
    );
  } catch (e) {
    mount(into, errorBox(e));
  }
}

export async function reviewPage(): Promise<void> {
  const out = h("div", { id: "review" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "review-msg" });
  mount(app, h("h1", {}, "Link review"), h("p", { class: "note" }, "Pairs of records the linkage model was unsure of. Your decision overrides the model on every later link."), msg, out);
  const side = (s: SideJ) =>
    h("div", { class: "side" }, agencyBadge(s.agency), ` ${s.name} · ${s.dob ?? "no date of birth"} · ${s.sex ?? ""} · ${s.postcode ?? ""} · ${s.events} events (record ${s.record_id}, ${s.source})`);
  try {
    const res = await api<{ items: { a: SideJ; b: SideJ; probability: number; on_panel: boolean }[]; total: number; pseudonymised: boolean }>("GET", "/link/review");
    const decide = async (a: number | string, b: number | string, same: boolean) => {
      try {
        await api("POST", "/link/review", { a, b, same });
        mount(msg, h("p", { class: "ok" }, `Recorded: records ${a} and ${b} are ${same ? "the same person" : "different people"}. It takes effect at the next 'svp link'.`));
        await reviewPage();
      } catch (e) {
        mount(msg, errorBox(e));
      }
    };
    mount(
      out,
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      h("p", { class: "count" }, `${res.total} pair${res.total === 1 ? "" : "s"} waiting${res.total > res.items.length ? `, first ${res.items.length} shown` : ""}; those that would join or split a child on the saved panel list come first`),
      res.items.length === 0
        ? h("p", {}, "Nothing to review.")
        : table(
            ["Record A", "Record B", "Match probability", ""],
            res.items.map((it) => {
              const why = h("div", { class: "why" });
              return [
                side(it.a),
                side(it.b),
                h("span", {}, `${(it.probability * 100).toFixed(1)}%`, it.on_panel ? h("span", { class: "tag on-panel" }, " a child on the panel list") : null, why),
                h(
                  "span",
                  {},
                  h("button", { type: "button", onclick: () => void explainPair(it.a.record_id, it.b.record_id, why) }, "Why?"),
                  h("button", { type: "button", onclick: () => void decide(it.a.record_id, it.b.record_id, true) }, "Same person"),
                  h("button", { type: "button", onclick: () => void decide(it.a.record_id, it.b.record_id, false) }, "Different"),
                ),
              ];
            }),
            "grid review",
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
