// The panel meeting: the chair walks through new entries, risers, reviews due and overdue
// actions, then each child on the list: the reasons, what the panel decided before, and
// the forms to record today's discussion (RAG, owner, next review, decision) and agree
// actions. The page prints as the panel pack (print CSS) and exports as XLSX.
import { api, ApiError } from "../api";
import { agencyBadge, h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";
import type { RiskReasonJ } from "./person";

interface PanelStateJ {
  ref: string;
  owner?: string;
  rag?: string;
  next_review?: string;
  discussed_on?: string;
  decision?: string;
}

interface DiscussionJ extends PanelStateJ {
  discussed_on: string;
  updated_at: string;
}

interface ActionJ {
  ref: string;
  text: string;
  owner: string;
  due: string;
  state: string;
  done_date?: string;
  agreed_on?: string;
  overdue: boolean;
}

interface ChildJ {
  person_id: number;
  name: string;
  on_list: boolean;
  rank?: number;
  age?: number | null;
  area?: string;
  score?: number;
  band?: string;
  change?: string | null;
  previous_rank?: number | null;
  open_plans?: string[];
  agencies?: string[];
  summary?: string;
  reasons?: RiskReasonJ[];
  panel?: PanelStateJ;
  discussions?: DiscussionJ[];
  actions?: ActionJ[];
}

interface MeetingJ {
  meeting_on: string;
  as_of: string;
  children: ChildJ[];
  pseudonymised: boolean;
}

let seq = 0;

function field(label: string, input: HTMLElement): HTMLElement {
  return h("label", {}, label, input);
}

function childTitle(c: ChildJ): string {
  const bits = [c.age !== null && c.age !== undefined ? `${c.age}` : "", c.area ?? ""].filter(Boolean).join(", ");
  return `${c.on_list ? `${c.rank}. ` : ""}${c.name}${bits ? ` (${bits})` : ""}`;
}

function anchor(c: ChildJ): HTMLElement {
  return h("a", { href: `#/meeting?on=${encodeURIComponent(current.on)}&child=${c.person_id}`, "data-child": String(c.person_id) }, c.name);
}

const current = { on: "" };
const FIRST_CARDS = 12;
const CARDS_PER_BATCH = 25;
let drawSeq = 0;

function discussionForm(c: ChildJ, on: string, msg: HTMLElement, reload: () => Promise<void>): HTMLElement {
  const n = ++seq;
  const day = h("input", { id: `d-on-${n}`, type: "date", value: on, required: true }) as HTMLInputElement;
  const rag = h("select", { id: `d-rag-${n}`, name: "rag" }, h("option", { value: "" }, "(unchanged)"), ...["red", "amber", "green"].map((r) => h("option", { value: r }, r))) as HTMLSelectElement;
  const owner = h("input", { id: `d-owner-${n}`, name: "owner", value: c.panel?.owner ?? "", maxlength: "100" }) as HTMLInputElement;
  const next = h("input", { id: `d-next-${n}`, name: "next_review", type: "date" }) as HTMLInputElement;
  const decision = h("textarea", { id: `d-decision-${n}`, name: "decision", rows: "2", maxlength: "2000" }) as HTMLTextAreaElement;
  const form = h(
    "form",
    { class: "inline discussion-form no-print", "data-child": String(c.person_id) },
    field("Discussed on", day),
    field("RAG", rag),
    field("Owner", owner),
    field("Next review", next),
    h("label", { class: "wide" }, "Decision", decision),
    h("button", { type: "submit" }, "Record the discussion"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { discussed_on: day.value };
    if (rag.value) body.rag = rag.value;
    if (owner.value.trim()) body.owner = owner.value.trim();
    if (next.value) body.next_review = next.value;
    if (decision.value.trim()) body.decision = decision.value.trim();
    try {
      const r = await api<{ ref: string }>("POST", `/meeting/${c.person_id}/discussion`, body);
      await reload();
      mount(document.getElementById("meeting-msg") as HTMLElement, h("p", { class: "ok" }, `Recorded ${r.ref} for ${c.name}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return form;
}

function actionForm(c: ChildJ, on: string, msg: HTMLElement, reload: () => Promise<void>): HTMLElement {
  const n = ++seq;
  const text = h("input", { id: `a-text-${n}`, name: "text", required: true, maxlength: "2000" }) as HTMLInputElement;
  const owner = h("input", { id: `a-owner-${n}`, name: "owner", required: true, maxlength: "100" }) as HTMLInputElement;
  const due = h("input", { id: `a-due-${n}`, name: "due", type: "date", required: true }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "inline action-form no-print", "data-child": String(c.person_id) },
    field("Action", text),
    field("Owner", owner),
    field("Due", due),
    h("button", { type: "submit" }, "Agree the action"),
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api<{ ref: string }>("POST", `/meeting/${c.person_id}/action`, { text: text.value.trim(), owner: owner.value.trim(), due: due.value, agreed_on: on });
      await reload();
      mount(document.getElementById("meeting-msg") as HTMLElement, h("p", { class: "ok" }, `Agreed ${r.ref} for ${c.name}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return form;
}

function actionsTable(c: ChildJ, on: string, msg: HTMLElement, reload: () => Promise<void>): HTMLElement {
  const acts = c.actions ?? [];
  if (acts.length === 0) return h("p", { class: "note" }, "No action agreed yet.");
  const set = async (a: ActionJ, state: string) => {
    try {
      await api("POST", "/meeting/action", { ref: a.ref, state, date: on });
      await reload();
      mount(document.getElementById("meeting-msg") as HTMLElement, h("p", { class: "ok" }, `${a.ref} is ${state}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  };
  return table(
    ["Action", "Owner", "Due", "State", ""],
    acts.map((a) => [
      `${a.ref} ${a.text}`,
      a.owner,
      a.overdue ? h("span", { class: "overdue" }, `${a.due} (overdue)`) : a.due,
      a.state + (a.done_date ? ` ${a.done_date}` : ""),
      a.state === "open"
        ? h(
            "span",
            { class: "no-print" },
            h("button", { type: "button", "data-ref": a.ref, "data-state": "done", onclick: () => void set(a, "done") }, "Done"),
            h("button", { type: "button", "data-ref": a.ref, "data-state": "dropped", onclick: () => void set(a, "dropped") }, "Drop"),
          )
        : "",
    ]),
    "grid actions",
  );
}

function childCard(c: ChildJ, on: string, reload: () => Promise<void>): HTMLElement {
  const msg = h("div", {});
  const p = c.panel;
  const history = [...(c.discussions ?? [])].sort((a, b) => (a.discussed_on < b.discussed_on ? 1 : a.discussed_on > b.discussed_on ? -1 : b.ref.localeCompare(a.ref)));
  return h(
    "section",
    { class: "child", id: `child-${c.person_id}` },
    h(
      "h2",
      {},
      h("a", { href: `#/person/${c.person_id}`, class: "person-link" }, childTitle(c)),
      " ",
      c.on_list ? h("span", { class: `band band-${c.band}` }, `${(c.score ?? 0).toFixed(1)} ${c.band}`) : h("span", { class: "band" }, "off the list"),
      p?.rag ? h("span", { class: `rag rag-${p.rag}` }, p.rag) : null,
      c.change === "new" ? h("span", { class: "tag" }, "new") : c.change === "up" ? h("span", { class: "tag" }, `up from ${c.previous_rank}`) : null,
    ),
    c.summary ? h("p", { class: "summary" }, c.summary) : null,
    c.agencies?.length ? h("p", {}, "Known to ", ...c.agencies.map((a) => agencyBadge(a)), c.open_plans?.length ? ` · plans: ${c.open_plans.join(", ")}` : "") : null,
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, "Owner"),
      h("dd", { class: "owner" }, p?.owner ?? "none yet"),
      h("dt", {}, "Next review"),
      h("dd", { class: "next-review" }, p?.next_review ?? "not set"),
      h("dt", {}, "Discussed on"),
      h("dd", { class: "discussed-on" }, p?.discussed_on ?? "not yet discussed"),
      h("dt", {}, "Decision"),
      h("dd", { class: "decision" }, p?.decision ?? "–"),
    ),
    history.length > 1
      ? h("details", { class: "history" }, h("summary", {}, `Earlier discussions (${history.length - 1})`), h("ul", {}, ...history.slice(1).map((d) => h("li", {}, `${d.discussed_on}${d.rag ? ` · ${d.rag}` : ""}${d.owner ? ` · ${d.owner}` : ""}${d.next_review ? ` · review ${d.next_review}` : ""}${d.decision ? ` · ${d.decision}` : ""}`))))
      : null,
    h("h3", {}, "Actions"),
    actionsTable(c, on, msg, reload),
    msg,
    discussionForm(c, on, msg, reload),
    actionForm(c, on, msg, reload),
  );
}

function walkList(title: string, id: string, items: ChildJ[], empty: string, extra?: (c: ChildJ) => string): HTMLElement {
  return h(
    "section",
    { class: "walk", id },
    h("h2", {}, `${title} (${items.length})`),
    items.length === 0 ? h("p", { class: "note" }, empty) : h("ul", {}, ...items.map((c) => h("li", {}, anchor(c), extra ? ` ${extra(c)}` : ""))),
  );
}

async function download(on: string, msg: HTMLElement): Promise<void> {
  try {
    const res = await fetch(`/api/v1/meeting/export.xlsx?on=${encodeURIComponent(on)}`, { credentials: "same-origin", cache: "no-store" });
    if (!res.ok) throw new ApiError(res.status, `the export failed (${res.status})`);
    const url = URL.createObjectURL(await res.blob());
    const a = h("a", { href: url, download: `panel-pack-${on}.xlsx` }) as HTMLAnchorElement;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    mount(msg, errorBox(e));
  }
}

export async function meetingPage(params: URLSearchParams): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const on = params.get("on") || today;
  current.on = on;
  const day = h("input", { id: "meeting-on", type: "date", value: on }) as HTMLInputElement;
  const form = h("form", { class: "search no-print" }, field("Meeting on", day), h("button", { type: "submit" }, "Show"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go(`#/meeting?on=${encodeURIComponent(day.value || today)}`);
  });
  const msg = h("div", { id: "meeting-msg", "aria-live": "polite" });
  const tools = h(
    "p",
    { class: "no-print tools" },
    h("button", { type: "button", id: "print-pack", onclick: () => window.print() }, "Print the panel pack"),
    " ",
    h("button", { type: "button", id: "export-xlsx", onclick: () => void download(on, msg) }, "Export XLSX"),
  );
  const out = h("div", { id: "meeting" }, h("p", {}, "Preparing the meeting…"));
  mount(app, h("h1", {}, `Panel meeting ${on}`), form, tools, msg, out);
  const reload = async () => {
    const res = await api<MeetingJ>("GET", `/meeting?on=${encodeURIComponent(on)}`);
    const kids = res.children;
    const holder = h("div", { class: "children" });
    const overdue = kids.filter((c) => (c.actions ?? []).some((a) => a.overdue));
    mount(
      out,
      h("p", { class: "note" }, `Scores as of ${res.as_of || "–"} (the data's latest day); actions and reviews judged on ${res.meeting_on}. ${kids.filter((c) => c.on_list).length} children on the list.`),
      res.pseudonymised ? h("p", { class: "note" }, "Pseudonymised: analysts see one pseudonym per person, never names or ids; a stated purpose is recorded and lifts nothing.") : null,
      h(
        "div",
        { class: "walks", id: "meeting-summary" },
        walkList("New entries (new to the list or not yet discussed)", "walk-new", kids.filter((c) => c.on_list && (c.change === "new" || !c.panel?.discussed_on)), "No child is new to the panel."),
        walkList("Risers", "walk-up", kids.filter((c) => c.change === "up"), "No child moved up.", (c) => `up from ${c.previous_rank} to ${c.rank}`),
        walkList("Reviews due", "walk-reviews", kids.filter((c) => c.panel?.next_review && c.panel.next_review <= res.meeting_on), "No review falls due.", (c) => `review ${c.panel?.next_review}`),
        walkList("Overdue actions", "walk-overdue", overdue, "No action is overdue.", (c) => (c.actions ?? []).filter((a) => a.overdue).map((a) => `${a.text} (${a.owner}, due ${a.due})`).join("; ")),
      ),
      kids.length === 0 ? h("p", {}, "No child is on the list.") : holder,
    );
    // The first cards (and the one asked for) at once, the rest in batches between frames:
    // a list of 140 children's cards with their forms drawn in one go holds the first
    // screen back by a second on a busy machine. A newer reload stops an older one.
    const mine = ++drawSeq;
    const focus = params.get("child");
    const focusAt = focus ? kids.findIndex((c) => String(c.person_id) === focus) : -1;
    let i = 0;
    const drawTo = (n: number) => {
      for (; i < Math.min(n, kids.length); i++) holder.append(childCard(kids[i], on, reload));
    };
    drawTo(Math.max(FIRST_CARDS, focusAt + 1));
    if (focus) document.getElementById(`child-${focus}`)?.scrollIntoView({ block: "start" });
    while (i < kids.length) {
      await new Promise((r) => setTimeout(r, 0));
      if (mine !== drawSeq) return;
      drawTo(i + CARDS_PER_BATCH);
    }
  };
  try {
    await reload();
  } catch (e) {
    mount(out, errorBox(e));
  }
}
