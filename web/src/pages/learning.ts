// The case learning tracker: recommendations, actions and evidence of impact.
import { api, EntryJ } from "../api";
import { h, mount, table } from "../components/dom";
import { app, can, errorBox } from "../components/shell";

export type ActionJ = EntryJ & { overdue: boolean; evidence: EntryJ[] };

let formSeq = 0;

/* A small form that adds one entry to the tracker (POST /learning) and reloads the page. */
function addForm(register: "recommendation" | "action" | "evidence", parent: string, msg: HTMLElement): HTMLElement | null {
  if (!can("administrator", "panel")) return null;
  const n = ++formSeq;
  const field = (label: string, name: string, attrs: Record<string, string | boolean> = {}) => {
    const input = h("input", { id: `lf-${n}-${name}`, name, ...attrs }) as HTMLInputElement;
    return { input, el: h("label", {}, label, input) };
  };
  const text = field(register === "evidence" ? "Evidence of impact" : register === "action" ? "Action agreed" : "Recommendation", "text", { required: true, maxlength: "2000" });
  const extra =
    register === "recommendation"
      ? [field("Theme (optional)", "theme", { maxlength: "100" })]
      : register === "action"
        ? [field("Owner agency", "owner", { required: true, maxlength: "100" }), field("Due", "due", { type: "date", required: true })]
        : [field("Date", "date", { type: "date", required: true })];
  const form = h("form", { class: "inline add-entry", "data-register": register, "data-parent": parent }, text.el, ...extra.map((x) => x.el), h("button", { type: "submit" }, `Add ${register === "evidence" ? "evidence" : `a${register === "action" ? "n" : ""} ${register}`}`));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body: Record<string, string> = { register, parent, text: text.input.value.trim() };
    for (const x of extra) if (x.input.value.trim()) body[x.input.name] = x.input.value.trim();
    try {
      const r = await api<{ ref: string }>("POST", "/learning", body);
      await learningPage();
      mount(document.getElementById("learning-msg") as HTMLElement, h("p", { class: "ok" }, `Added ${r.ref}.`));
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  return h("details", { class: "add" }, h("summary", {}, `Add ${register === "evidence" ? "evidence of impact" : `a${register === "action" ? "n" : ""} ${register}`}${parent ? ` to ${parent}` : ""}`), form);
}

/* Adding a recommendation starts from a review of the register. */
async function recommendationForm(msg: HTMLElement): Promise<HTMLElement | null> {
  if (!can("administrator", "panel")) return null;
  const reviews = await api<{ items: EntryJ[] }>("GET", "/reviews");
  if (reviews.items.length === 0) return h("p", { class: "note" }, "Add a case review on the Case reviews page first; recommendations are made against a review.");
  const sel = h("select", { id: "lf-review" }, ...reviews.items.map((r) => h("option", { value: r.ref }, `${r.ref}${r.fields.title ? " · " + r.fields.title : ""}`))) as HTMLSelectElement;
  const holder = h("div", {}, addForm("recommendation", sel.value, msg));
  sel.addEventListener("change", () => mount(holder, addForm("recommendation", sel.value, msg)));
  return h("div", { id: "add-recommendation" }, h("label", {}, "Review", sel), holder);
}

export async function learningPage(): Promise<void> {
  const out = h("div", { id: "learning" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "learning-msg" });
  const adder = h("div", {});
  mount(app, h("h1", {}, "Case learning tracker"), msg, adder, out);
  void recommendationForm(msg).then((f) => mount(adder, f)).catch((e) => mount(adder, errorBox(e)));
  const done = async (ref: string) => {
    try {
      await api("POST", "/learning/done", { ref });
      await learningPage();
      mount(document.getElementById("learning-msg") as HTMLElement, h("p", { class: "ok" }, `Action ${ref} closed.`));
    } catch (e) {
      mount(msg, errorBox(e));
    }
  };
  const doneButton = (a: EntryJ) =>
    can("administrator", "panel") && a.fields.state === "open" ? h("button", { type: "button", "data-ref": a.ref, onclick: () => void done(a.ref) }, "Done") : null;
  try {
    const res = await api<{ items: { review: string; title?: string; recommendations: (EntryJ & { action: ActionJ[] })[] }[]; overdue: EntryJ[]; as_of: string }>("GET", "/learning");
    mount(
      out,
      h("h2", {}, "Overdue actions"),
      res.overdue.length === 0
        ? h("p", { class: "note" }, `No action is overdue as of ${res.as_of}.`)
        : table(["Action", "Owner", "Due", "State", "What"], res.overdue.map((a) => [a.ref, a.fields.owner ?? "", a.fields.due ?? "", a.fields.state ?? "", a.fields.text ?? ""]), "grid overdue"),
      h("h2", {}, "Recommendations and actions"),
      res.items.length === 0
        ? h("p", {}, "No recommendation recorded yet.")
        : h(
            "div",
            {},
            ...res.items.map((rv) =>
              h(
                "section",
                { class: "review" },
                h("h3", {}, `${rv.review}${rv.title ? " · " + rv.title : ""}`),
                ...rv.recommendations.map((rec) =>
                  h(
                    "div",
                    { class: "recommendation" },
                    h("p", {}, h("strong", {}, rec.ref), ` ${rec.fields.text ?? ""}`, rec.fields.theme ? ` (${rec.fields.theme})` : ""),
                    rec.action.length === 0
                      ? h("p", { class: "note" }, "No action agreed yet.")
                      : table(
                          ["Action", "Owner", "Due", "State", "Evidence of impact"],
                          rec.action.map((a) => [
                            h("span", { title: a.fields.text ?? "" }, `${a.ref} ${a.fields.text ?? ""}`),
                            a.fields.owner ?? "",
                            a.overdue ? h("span", { class: "overdue" }, `${a.fields.due ?? ""} (overdue)`) : a.fields.due ?? "",
                            h("span", {}, a.fields.state ?? "", " ", doneButton(a)),
                            a.evidence.length === 0 ? "none yet" : h("ul", {}, ...a.evidence.map((ev) => h("li", {}, `${ev.fields.date ?? ""}: ${ev.fields.text ?? ""}`))),
                          ]),
                          "grid actions",
                        ),
                    addForm("action", rec.ref, msg),
                    ...rec.action.filter((a) => a.fields.state === "open").map((a) => addForm("evidence", a.ref, msg)),
                  ),
                ),
              ),
            ),
          ),
    );
  } catch (e) {
    mount(out, errorBox(e));
  }
}
