// The case review register and its statutory deadlines.
import { api, EntryJ } from "../api";
import { h, mount, table } from "../components/dom";
import { app, can, errorBox } from "../components/shell";

export interface ReviewClockJ {
  rule: string;
  times: string;
  amount: number;
  unit: string;
  start: string | null;
  due: string | null;
  stop: string | null;
  state: string;
  taken: number;
  late_by: number;
  why: string;
}

export const REVIEW_KINDS: Record<string, string> = {
  rapid_review: "rapid review",
  lcspr: "local child safeguarding practice review",
  sar: "safeguarding adults review",
  dhr: "domestic homicide review",
  non_statutory: "non-statutory review",
};

function reviewForm(msg: HTMLElement): HTMLElement | null {
  if (!can("administrator", "panel")) return null;
  const ref = h("input", { id: "rv-ref", type: "text", required: true, placeholder: "reference, e.g. RR-12" }) as HTMLInputElement;
  const kind = h("select", { id: "rv-kind" }, ...Object.entries(REVIEW_KINDS).map(([k, v]) => h("option", { value: k }, v))) as HTMLSelectElement;
  const title = h("input", { id: "rv-title", type: "text", placeholder: "title that does not identify, e.g. Child E" }) as HTMLInputElement;
  const awareness = h("input", { id: "rv-awareness", type: "date" }) as HTMLInputElement;
  const notification = h("input", { id: "rv-notification", type: "date" }) as HTMLInputElement;
  const form = h("form", { class: "inline", id: "review-form" }, h("label", {}, "Reference", ref), h("label", {}, "Kind", kind), h("label", {}, "Title", title), h("label", {}, "Became aware", awareness), h("label", {}, "Notified", notification), h("button", { type: "submit" }, "Add review"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { ref: ref.value.trim(), kind: kind.value };
    if (title.value.trim()) body.title = title.value.trim();
    if (awareness.value) body.awareness = awareness.value;
    if (notification.value) body.notification = notification.value;
    try {
      await api("POST", "/reviews", body);
      await reviewsPage();
      mount(document.getElementById("review-msg") as HTMLElement, h("p", { class: "ok" }, `Added review ${body.ref}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return form;
}

// The dates a review reaches after it is added, in the order the guidance sets them.
const LATER_DATES: [string, string][] = [
  ["notification", "Notified"],
  ["rapid_review_sent", "Rapid review sent"],
  ["decision", "Decision to hold a review"],
  ["initiation", "Initiated"],
  ["final_report_sent", "Final report sent"],
  ["publication", "Published"],
];

// A form on one review to record a date it has reached; the registers room checks the
// order and a refusal names the field.
function laterDateForm(ref: string): HTMLElement | null {
  if (!can("administrator", "panel")) return null;
  const id = ref.replace(/[^A-Za-z0-9]/g, "-");
  const field = h("select", { id: `rd-field-${id}`, name: "field" }, ...LATER_DATES.map(([k, v]) => h("option", { value: k }, v))) as HTMLSelectElement;
  const date = h("input", { id: `rd-date-${id}`, name: "date", type: "date", required: true }) as HTMLInputElement;
  const msg = h("div", { class: "review-date-msg", "aria-live": "polite" });
  const form = h("form", { class: "inline review-date", "data-ref": ref }, h("label", {}, "Date reached", field), h("label", {}, "On", date), h("button", { type: "submit" }, "Record date"), msg);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("POST", "/reviews/update", { ref, [field.value]: date.value });
      await reviewsPage();
      mount(document.getElementById("review-msg") as HTMLElement, h("p", { class: "ok" }, `Recorded on review ${ref}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return h("details", { class: "review-dates" }, h("summary", {}, "Record a later date"), form);
}

export async function reviewsPage(): Promise<void> {
  const out = h("div", { id: "reviews" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "review-msg" });
  mount(app, h("h1", {}, "Case review register"), reviewForm(msg), msg, out);
  try {
    const res = await api<{ items: (EntryJ & { clocks: ReviewClockJ[]; late: number; overdue: number })[]; as_of: string }>("GET", "/reviews");
    const dates = ["awareness", "notification", "rapid_review_sent", "decision", "initiation", "final_report_sent", "publication"];
    mount(
      out,
      h("p", { class: "note" }, `${res.items.length} review${res.items.length === 1 ? "" : "s"}; deadlines as of ${res.as_of}, counted in working days where the guidance says so.`),
      res.items.length === 0
        ? h("p", {}, "No case review recorded yet.")
        : h(
            "div",
            {},
            ...res.items.map((r) =>
              h(
                "section",
                { class: "review" },
                h("h2", {}, `${r.ref} · ${REVIEW_KINDS[r.fields.kind ?? ""] ?? r.fields.kind ?? ""}${r.fields.title ? " · " + r.fields.title : ""}`),
                h(
                  "p",
                  { class: r.overdue ? "error" : "note" },
                  [r.overdue ? `${r.overdue} deadline${r.overdue === 1 ? "" : "s"} overdue` : "", r.late ? `${r.late} met late` : ""].filter(Boolean).join(", ") || "No deadline missed.",
                ),
                h("dl", { class: "dates" }, ...dates.filter((d) => r.fields[d]).flatMap((d) => [h("dt", {}, d.replace(/_/g, " ")), h("dd", {}, r.fields[d] ?? "")])),
                r.clocks.length === 0
                  ? null
                  : table(
                      ["Timescale", "From", "Due", "Stopped", "State", "Late by"],
                      r.clocks.map((c) => [c.times, c.start ?? "–", c.due ?? "–", c.stop ?? "–", h("span", { class: `state state-${c.state.replace(/[^a-z]/g, "")}` }, c.state), c.late_by ? `${c.late_by} ${c.unit}` : c.why || ""]),
                      "grid review-clocks",
                    ),
                r.fields.notes ? h("p", {}, r.fields.notes) : null,
                laterDateForm(r.ref),
              ),
            ),
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
