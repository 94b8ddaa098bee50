import { lazy, Suspense, useRef, type KeyboardEvent } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { useDataAsset, useDataVersions } from "../../api/data";
import { ErrorMessage, Loading } from "../../components/Status";
import { Consume } from "./Consume";
import { Details } from "./Details";
import { Explore } from "./Explore";
import { Versions } from "./Versions";

// The profile table carries the chart library: its own chunk, loaded when the tab opens.
const Profile = lazy(() => import("./Profile"));

const TABS = [
  { id: "details", label: "Details" },
  { id: "explore", label: "Explore" },
  { id: "profile", label: "Profile" },
  { id: "versions", label: "Versions" },
  { id: "consume", label: "Consume" },
] as const;
type TabId = (typeof TABS)[number]["id"];

/** /data/:name/:version? — one version of a data asset (latest when no version is given). */
export default function DatasetPage() {
  const { name = "", version = "latest" } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const tab: TabId = TABS.some((t) => t.id === search.get("tab")) ? (search.get("tab") as TabId) : "details";
  const asset = useDataAsset(name, version);
  const versions = useDataVersions(name);
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  const select = (id: TabId) => setSearch(id === "details" ? {} : { tab: id }, { replace: true });
  const onTabKey = (event: KeyboardEvent) => {
    const index = TABS.findIndex((t) => t.id === tab);
    const move = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!move) return;
    const next = TABS[(index + move + TABS.length) % TABS.length];
    select(next.id);
    tabRefs.current[next.id]?.focus();
  };

  const resolved = asset.data ? String(asset.data.version) : version;
  return (
    <section>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/data">Data</Link> / <span>{name}</span>
      </nav>
      <div className="page-title">
        <h1>
          {name}
          {asset.data && <span className="muted">:{asset.data.version}</span>}
          {asset.data?.archived && <span className="badge warn">archived</span>}
        </h1>
        {versions.data && versions.data.length > 0 && (
          <label className="inline-field">
            Version
            <select
              value={asset.data ? String(asset.data.version) : ""}
              onChange={(e) => navigate(`/data/${encodeURIComponent(name)}/${e.target.value}${tab === "details" ? "" : `?tab=${tab}`}`)}
            >
              {versions.data.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {v.version}
                  {v.archived ? " (archived)" : ""}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <ErrorMessage error={asset.error} />
      {asset.isPending && <Loading />}
      {asset.data && (
        <>
          <div role="tablist" aria-label="Dataset" className="tabs" onKeyDown={onTabKey}>
            {TABS.map((t) => (
              <button
                key={t.id}
                ref={(el) => {
                  tabRefs.current[t.id] = el;
                }}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls={`panel-${t.id}`}
                tabIndex={tab === t.id ? 0 : -1}
                onClick={() => select(t.id)}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tabpanel">
            {tab === "details" && <Details asset={asset.data} />}
            {tab === "explore" && <Explore name={name} version={resolved} />}
            {tab === "profile" && (
              <Suspense fallback={<Loading what="Loading the profile" />}>
                <Profile asset={asset.data} />
              </Suspense>
            )}
            {tab === "versions" && <Versions name={name} current={asset.data.version} />}
            {tab === "consume" && <Consume asset={asset.data} />}
          </div>
        </>
      )}
    </section>
  );
}
