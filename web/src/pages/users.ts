// User accounts (administrators).
import { api, User } from "../api";
import { AGENCY_NAMES, h, mount, table } from "../components/dom";
import { app, errorBox } from "../components/shell";

export async function usersPage(): Promise<void> {
  const list = h("div", { id: "users" });
  const msg = h("div", { id: "user-msg" });
  const name = h("input", { id: "new-username", placeholder: "username" }) as HTMLInputElement;
  const role = h(
    "select",
    { id: "new-role" },
    ...["practitioner", "panel", "analyst", "auditor", "administrator"].map((r) => h("option", { value: r }, r)),
  ) as HTMLSelectElement;
  const agency = h("select", { id: "new-agency" }, ...Object.entries(AGENCY_NAMES).map(([k, v]) => h("option", { value: k }, v))) as HTMLSelectElement;
  const form = h("form", { class: "inline" }, h("label", {}, "Username", name), h("label", {}, "Role", role), h("label", {}, "Agency", agency), h("button", { type: "submit" }, "Add user"));
  const load = async () => {
    try {
      const res = await api<{ items: User[] }>("GET", "/users");
      mount(
        list,
        table(
          ["Username", "Role", "Agency", "State", ""],
          res.items.map((u) => [
            u.username,
            u.role,
            AGENCY_NAMES[u.agency] ?? u.agency,
            u.disabled ? "disabled" : u.locked ? "locked" : u.must_change ? "one-time password" : "active",
            h(
              "span",
              {},
              h("button", { type: "button", onclick: () => void act(u, u.disabled ? "enable" : "disable") }, u.disabled ? "Enable" : "Disable"),
              h("button", { type: "button", onclick: () => void act(u, "reset") }, "Reset password"),
            ),
          ]),
        ),
      );
    } catch (e) {
      mount(list, errorBox(e));
    }
  };
  const act = async (u: User, what: string) => {
    try {
      const r = await api<{ one_time_password?: string }>("POST", `/users/${u.id}/${what}`);
      mount(msg, r.one_time_password ? h("p", { class: "ok" }, `One-time password for ${u.username}: `, h("code", {}, r.one_time_password)) : null);
      await load();
    } catch (e) {
      mount(msg, errorBox(e));
    }
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const r = await api<{ user: User; one_time_password: string }>("POST", "/users", { username: name.value, role: role.value, agency: agency.value });
      mount(msg, h("p", { class: "ok" }, `Added ${r.user.username}. One-time password: `, h("code", {}, r.one_time_password)));
      name.value = "";
      await load();
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  mount(app, h("h1", {}, "Users"), form, msg, list);
  await load();
}
