import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../api/client";
import { useDataAssets } from "../api/data";
import { useDatastores } from "../api/datastores";
import { useRecentJobs } from "../api/jobs";
import { ErrorMessage } from "../components/Status";
import { formatDate } from "../components/format";
import { StatusBadge } from "../components/StatusBadge";

/** How many items a list route answers (models and endpoints: the studio only needs the count here). */
function useListCount(path: string) {
  return useQuery({ queryKey: ["home-count", path], queryFn: async () => (await api.get<unknown[]>(path)).length });
}

const START = [
  { to: "/data/new", label: "Create dataset", text: "Upload a CSV, check its settings and schema, and profile it.", primary: true },
  { to: "/datastores?new", label: "Add a datastore", text: "A local folder, S3 bucket, web location or SQL database to read data from." },
  { to: "/compute?new", label: "Create compute", text: "A cluster of worker processes that scales between a minimum and a maximum." },
  { to: "/automl/new", label: "New Automated ML run", text: "Pick a dataset and a target column; modelyard tries the models." },
  { to: "/endpoints", label: "Endpoints", text: "Deploy a registered model behind an authenticated REST endpoint." },
];

export function Home() {
  const data = useDataAssets();
  const datastores = useDatastores();
  const jobs = useRecentJobs();
  const models = useListCount("/api/models");
  const endpoints = useListCount("/api/online-endpoints");
  const counts = [
    { to: "/data", label: "Datasets", value: data.data?.length, id: "data" },
    { to: "/jobs", label: "Jobs", value: jobs.data?.total, id: "jobs" },
    { to: "/models", label: "Models", value: models.data, id: "models" },
    { to: "/endpoints", label: "Endpoints", value: endpoints.data, id: "endpoints" },
    { to: "/datastores", label: "Datastores", value: datastores.data?.length, id: "datastores" },
  ];
  return (
    <section>
      <h1>Home</h1>
      <div className="cards">
        {counts.map((count) => (
          <Link key={count.id} className="card stat" to={count.to}>
            <span className="stat-value" data-testid={`count-${count.id}`}>
              {count.value === undefined ? "…" : count.value.toLocaleString("en-US")}
            </span>
            <span className="stat-label">{count.label}</span>
          </Link>
        ))}
      </div>
      <ErrorMessage error={data.error ?? datastores.error ?? jobs.error ?? models.error ?? endpoints.error} />

      <h2>Start</h2>
      <ul className="start-links">
        {START.map((step) => (
          <li key={step.to}>
            <Link className={`button${step.primary ? " primary" : ""}`} to={step.to}>
              {step.label}
            </Link>
            <span className="muted">{step.text}</span>
          </li>
        ))}
      </ul>

      <h2>Recent jobs</h2>
      {jobs.data && jobs.data.items.length === 0 && (
        <p className="muted">
          No jobs yet. Submit one with <code>modelyard job create -f job.yml</code> or start an Automated ML run.
        </p>
      )}
      {jobs.data && jobs.data.items.length > 0 && (
        <ul className="recent" aria-label="Recent jobs">
          {jobs.data.items.map((job) => (
            <li key={job.name}>
              <Link to={`/jobs/${encodeURIComponent(job.name)}`}>{job.display_name || job.name}</Link> <StatusBadge status={job.status} />
              <span className="muted">
                {" "}
                · {job.experiment_name} · {formatDate(job.created_at)}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2>Recent data assets</h2>
      {data.data && data.data.length === 0 && (
        <p className="muted">
          No data assets yet. <Link to="/data/new">Create the first one</Link>.
        </p>
      )}
      {data.data && data.data.length > 0 && (
        <ul className="recent">
          {[...data.data]
            .sort((a, b) => b.created_at.localeCompare(a.created_at))
            .slice(0, 5)
            .map((asset) => (
              <li key={asset.name}>
                <Link to={`/data/${encodeURIComponent(asset.name)}/${asset.version}`}>
                  {asset.name}:{asset.version}
                </Link>
                <span className="muted">
                  {" "}
                  · {asset.type} · {formatDate(asset.created_at)}
                </span>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}
