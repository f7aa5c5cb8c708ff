// Transition to adulthood: the children on the tracker's list or with a plan open who turn
// 18 in the coming months, soonest first, with score, band, open plans and the agencies that
// know them -- the handover list for adult services (`svp panel turning18`; the partnership's
// 2021-22 report makes transitional safeguarding a priority). Each person is shown only as
// far as the viewer may see them.
import { api } from "../api";
import { h, mount, table } from "../components/dom";
import { app, errorBox, go } from "../components/shell";

interface PersonJ {
  person_id: number | string;
  name?: string;
  age: number | null;
  turns_18: string;
  status: string;
  score: number;
  band: string;
  rank: number;
  open_plans: string[];
  agencies: string[];
  summary: string;
}

interface TurningJ {
  as_of?: string;
  months?: number;
  linked?: boolean;
  why?: string;
  pseudonymised?: boolean;
  people: PersonJ[];
}

const PLAN_NAMES: Record<string, string> = {
  CIN: "child in need",
  CP: "child protection",
  LAC: "looked after",
  EH: "early help",
  YJ: "youth justice",
};

export async function transitionPage(params: URLSearchParams): Promise<void> {
  const months = Math.min(24, Math.max(1, Number(params.get("months") ?? "6") || 6));
  const input = h("input", { id: "turning-months", type: "number", min: "1", max: "24", value: String(months) }) as HTMLInputElement;
  const form = h(
    "form",
    {
      class: "search",
      onsubmit: (e: Event) => {
        e.preventDefault();
        go(`#/transition?months=${encodeURIComponent(input.value)}`);
      },
    },
    h("label", { for: "turning-months" }, "Months ahead "),
    input,
    h("button", { type: "submit" }, "Show"),
  );
  mount(app, h("h1", {}, "Turning 18"), form, h("p", {}, "Loading…"));
  try {
    const res = await api<TurningJ>("GET", `/panel/turning18?months=${months}`);
    if (res.linked === false) {
      mount(app, h("h1", {}, "Turning 18"), form, h("p", { class: "note" }, `${res.why ?? "Nobody is scored yet"}.`));
      return;
    }
    const scored = (p: PersonJ) => p.status === "scored";
    mount(
      app,
      h("h1", {}, "Turning 18"),
      h("p", { id: "turning-intro" }, `Children on the tracker's list or with a plan open who turn 18 in the ${months} months after ${res.as_of}: ${res.people.length}. Hand each over to adult services before their birthday; the tracker keeps young adults to 25 when the panel asks for it (svp panel --age-band transition).`),
      form,
      res.people.length
        ? table(
            ["Turns 18", "Who", "Score", "Band", "Rank", "Open plans", "Known to", "Top reasons"],
            res.people.map((p) => [
              p.turns_18,
              h("a", { href: `#/person/${p.person_id}`, class: "person-link" }, p.name?.trim() || `person ${p.person_id}`),
              scored(p) ? p.score.toFixed(1) : "-",
              scored(p) ? h("span", { class: `band band-${p.band}` }, p.band) : "-",
              scored(p) && p.rank ? String(p.rank) : "-",
              p.open_plans.length ? p.open_plans.map((x) => PLAN_NAMES[x] ?? x).join(", ") : "none",
              p.agencies.join(", "),
              p.summary || "",
            ]),
            "grid turning",
          )
        : h("p", { class: "note", id: "turning-none" }, "Nobody on the list or with a plan open turns 18 in this time."),
    );
  } catch (e) {
    mount(app, h("h1", {}, "Turning 18"), form, errorBox(e));
  }
}
