// svp's browser application: a hash-routed single page over the JSON API. Each page lives in
// its own module under pages/; what they share is under components/; the API client in api.ts.
import "./style.css";
import { api, Session } from "./api";
import { renderBar } from "./components/bar";
import { go, home, session, setRouter, useSession } from "./components/shell";
import { adultsPage } from "./pages/adults";
import { transitionPage } from "./pages/transition";
import { auditPage } from "./pages/audit";
import { clocksPage } from "./pages/clocks";
import { contextsPage } from "./pages/contexts";
import { daPage } from "./pages/da";
import { datasetPage } from "./pages/dataset";
import { learningPage } from "./pages/learning";
import { reviewPage } from "./pages/linkreview";
import { loginPage } from "./pages/login";
import { meetingPage } from "./pages/meeting";
import { networkPage } from "./pages/network";
import { panelPage } from "./pages/panel";
import { passwordPage } from "./pages/password";
import { personPage } from "./pages/person";
import { personsPage } from "./pages/persons";
import { figuresPage, registersPage } from "./pages/registers";
import { reviewsPage } from "./pages/reviews";
import { sourcesPage } from "./pages/sources";
import { trendsPage } from "./pages/trends";
import { usersPage } from "./pages/users";

async function route(): Promise<void> {
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const parts = (path || "/").split("/").filter(Boolean);
  if (!session() && parts[0] !== "login") {
    try {
      useSession(await api<Session>("GET", "/session"));
    } catch {
      useSession(null);
    }
  }
  const s = session();
  if (!s || parts[0] === "login") {
    useSession(null);
    loginPage();
    return;
  }
  renderBar();
  if (s.user.must_change && parts[0] !== "password") {
    go("#/password");
    return;
  }
  switch (parts[0]) {
    case "password":
      return passwordPage();
    case "persons":
      return personsPage(new URLSearchParams(query ?? ""));
    case "person":
    case "record":
      return personPage(parts[0], parts[1] ?? "", new URLSearchParams(query ?? ""));
    case "panel":
      return panelPage(new URLSearchParams(query ?? ""));
    case "meeting":
      return meetingPage(new URLSearchParams(query ?? ""));
    case "contexts":
      return contextsPage(new URLSearchParams(query ?? ""));
    case "review":
      return reviewPage();
    case "network":
      return networkPage(new URLSearchParams(query ?? ""));
    case "trends":
      return trendsPage();
    case "reviews":
      return reviewsPage();
    case "learning":
      return learningPage();
    case "registers":
      return registersPage(new URLSearchParams(query ?? ""));
    case "figures":
      return figuresPage(new URLSearchParams(query ?? ""));
    case "clocks":
      return clocksPage(new URLSearchParams(query ?? ""));
    case "dataset":
      return datasetPage(new URLSearchParams(query ?? ""));
    case "da":
      return daPage(new URLSearchParams(query ?? ""));
    case "adults":
      return adultsPage(new URLSearchParams(query ?? ""));
    case "transition":
      return transitionPage(new URLSearchParams(query ?? ""));
    case "sources":
      return sourcesPage();
    case "audit":
      return auditPage();
    case "users":
      return usersPage();
    default:
      go(home());
  }
}

setRouter(route);
window.addEventListener("hashchange", () => void route());
void route();
