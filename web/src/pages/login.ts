// Sign-in page.
import { api, Session } from "../api";
import { renderBar } from "../components/bar";
import { h, mount } from "../components/dom";
import { app, errorBox, go, home, useSession } from "../components/shell";

export function loginPage(): void {
  const user = h("input", { id: "username", name: "username", autocomplete: "username", required: true }) as HTMLInputElement;
  const pass = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true }) as HTMLInputElement;
  const msg = h("div", {});
  const form = h(
    "form",
    { class: "card", id: "login" },
    h("h1", {}, "Sign in"),
    h("label", {}, "Username", user),
    h("label", {}, "Password", pass),
    h("button", { type: "submit" }, "Sign in"),
    msg,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const s = await api<Session>("POST", "/session", { username: user.value, password: pass.value });
      useSession(s);
      go(s.user.must_change ? "#/password" : home());
    } catch (err) {
      mount(msg, errorBox(err));
    }
  });
  renderBar();
  mount(app, form);
}
