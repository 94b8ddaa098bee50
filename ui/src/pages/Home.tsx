import { Link } from "react-router";
import { useDataAssets } from "../api/data";
import { useDatastores } from "../api/datastores";
import { ErrorMessage } from "../components/Status";
import { formatDate } from "../components/format";

export function Home() {
  const data = useDataAssets();
  const datastores = useDatastores();
  const recent = [...(data.data ?? [])].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, 5);
  return (
    <section>
      <h1>Home</h1>
      <div className="cards">
        <Link className="card stat" to="/data">
          <span className="stat-value" data-testid="count-data">{data.data ? data.data.length : "…"}</span>
          <span className="stat-label">Data assets</span>
        </Link>
        <Link className="card stat" to="/datastores">
          <span className="stat-value" data-testid="count-datastores">{datastores.data ? datastores.data.length : "…"}</span>
          <span className="stat-label">Datastores</span>
        </Link>
      </div>
      <ErrorMessage error={data.error ?? datastores.error} />

      <h2>Start</h2>
      <ul className="start-links">
        <li>
          <Link className="button primary" to="/data/new">Create dataset</Link>
          <span className="muted">Upload a CSV, check its settings and schema, and profile it.</span>
        </li>
        <li>
          <Link className="button" to="/datastores?new">Add a datastore</Link>
          <span className="muted">A local folder, S3 bucket, web location or SQL database to read data from.</span>
        </li>
      </ul>

      <h2>Recent data assets</h2>
      {data.data && recent.length === 0 && (
        <p className="muted">
          No data assets yet. <Link to="/data/new">Create the first one</Link>.
        </p>
      )}
      {recent.length > 0 && (
        <ul className="recent">
          {recent.map((asset) => (
            <li key={asset.name}>
              <Link to={`/data/${encodeURIComponent(asset.name)}/${asset.version}`}>
                {asset.name}:{asset.version}
              </Link>
              <span className="muted"> · {asset.type} · {formatDate(asset.created_at)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
