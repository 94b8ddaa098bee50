import type { ReactNode } from "react";
import { Link, NavLink } from "react-router";
import { useWorkspace } from "../api/workspace";
import { useTheme } from "./theme";

// A nav entry appears here only once its page works against the real API.
const NAV = [
  { to: "/", label: "Home", end: true },
  { to: "/data", label: "Data", end: false },
  { to: "/datastores", label: "Datastores", end: false },
  { to: "/compute", label: "Compute", end: false },
  { to: "/notebooks", label: "Notebooks", end: false },
  { to: "/jobs", label: "Jobs", end: false },
  { to: "/automl", label: "Automated ML", end: false },
  { to: "/designer", label: "Designer", end: false },
  { to: "/models", label: "Models", end: false },
  { to: "/endpoints", label: "Endpoints", end: false },
  { to: "/environments", label: "Environments", end: false },
  { to: "/schedules", label: "Schedules", end: false },
  { to: "/webhooks", label: "Webhooks", end: false },
  { to: "/events", label: "Events", end: false },
  { to: "/audit", label: "Audit", end: false },
  { to: "/lineage", label: "Lineage", end: false },
  { to: "/monitoring", label: "Monitoring", end: false },
];

export function Shell({ children }: { children: ReactNode }) {
  const workspace = useWorkspace();
  const [theme, toggleTheme] = useTheme();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="header">
        <Link to="/" className="brand">
          modelyard <span className="brand-sub">studio</span>
        </Link>
        <span className="workspace-name" title={workspace.data?.path}>
          {workspace.isError ? (
            <span className="error-inline" role="alert">
              workspace unavailable: {(workspace.error as Error).message}
            </span>
          ) : (
            <>
              <span className="muted">Workspace</span> <strong data-testid="workspace-name">{workspace.data?.name ?? "…"}</strong>
            </>
          )}
        </span>
        <button
          type="button"
          className="button ghost theme-toggle"
          onClick={toggleTheme}
          aria-pressed={theme === "dark"}
          title="Switch between light and dark theme"
        >
          {theme === "dark" ? "☀ Light theme" : "☾ Dark theme"}
        </button>
      </header>
      <nav className="nav" aria-label="Main">
        <ul>
          {NAV.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
        {workspace.data && <p className="nav-version muted">v{workspace.data.version}</p>}
      </nav>
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
