// Changing one's own password (forced after a one-time password).
import { api, Session } from "../api";
import { h, mount } from "../components/dom";
import { app, errorBox, go, home, session, useSession } from "../components/shell";

export function passwordPage(): void {
  const old = h("input", { id: "old-password", type: "password", autocomplete: "current-password" }) as HTMLInputElement;
  const next = h("input", { id: "new-password", type: "password", autocomplete: "new-password", minlength: "12" }) as HTMLInputElement;
  const msg = h("div", {});
  const form = h(
    "form",
    { class: "card" },
    h("h1", {}, "Change your password"),
    session()?.user.must_change ? h("p", {}, "You signed in with a one-time password. Choose your own (at least 12 characters).") : null,
    h("label", {}, "Current password", old),
    h("label", {}, "New password", next),
    h("button", { type: "submit" }, "Change password"),
    msg,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      useSession(await api<Session>("POST", "/session/password", { password: old.value, new_password: next.value }));
      go(home());
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  mount(app, form);
}
