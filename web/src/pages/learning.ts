// The case learning tracker: recommendations, actions and evidence of impact.
import { api, EntryJ } from "../api";
import { h, mount, table } from "../components/dom";
import { app, can, errorBox } from "../components/shell";

export type ActionJ = EntryJ & { overdue: boolean; evidence: EntryJ[] };

export async function learningPage(): Promise<void> {
  const out = h("div", { id: "learning" }, h("p", {}, "Loading…"));
  const msg = h("div", { id: "learning-msg" });
  mount(app, h("h1", {}, "Case learning tracker"), msg, out);
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
        ? h("p", {}, "No recommendation recorded. Add them with 'svp learning add'.")
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
