import { useEffect, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { JOB_STATUSES, useExperiments, type JobFilter } from "../../api/jobs";
import { Options } from "../../components/Options";
import { ErrorMessage } from "../../components/Status";
import { ExperimentsTable } from "./ExperimentsTable";
import { JobsTable } from "./JobsTable";
import "./jobs.css";

const SEARCH_DELAY_MS = 300;

/** /jobs — experiments, and every top-level job filtered by status, experiment and search (kept in the URL). */
export default function JobsPage() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const experiments = useExperiments();
  const filter: JobFilter = { status: params.get("status") ?? "", experiment: params.get("experiment") ?? "", search: params.get("q") ?? "" };
  const [typed, setTyped] = useState(filter.search);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  // From the URL as it is now, not as this render saw it: the search box's delayed update must not undo
  // a filter picked while it waited (react-router's functional update reads the render's params).
  const latestParams = useRef(params);
  latestParams.current = params;
  const setParam = (key: string, value: string) => {
    const next = new URLSearchParams(latestParams.current);
    if (value) next.set(key, value);
    else next.delete(key);
    if (next.toString() !== latestParams.current.toString()) setParams(next, { replace: true });
  };
  useEffect(() => {
    const timer = setTimeout(() => setParam("q", typed.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only the typed text restarts the delay
  }, [typed]);

  const toggle = (name: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(name)) next.add(name);
      return next;
    });
  const compare = () => navigate(`/jobs/compare?names=${[...selected].map(encodeURIComponent).join(",")}`);

  return (
    <section>
      <div className="page-title">
        <h1>Jobs</h1>
      </div>
      <h2>Experiments</h2>
      <ErrorMessage error={experiments.error} />
      {experiments.data && <ExperimentsTable experiments={experiments.data} current={filter.experiment} onPick={(name) => setParam("experiment", name)} />}

      <h2>Runs</h2>
      <div className="toolbar jobs-toolbar">
        <label className="inline-field">
          Search
          <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="name or display name" />
        </label>
        <label className="inline-field">
          Status
          <select value={filter.status} onChange={(e) => setParam("status", e.target.value)}>
            <option value="">Any</option>
            <Options options={JOB_STATUSES} />
          </select>
        </label>
        <label className="inline-field">
          Experiment
          <select value={filter.experiment} onChange={(e) => setParam("experiment", e.target.value)}>
            <option value="">Any</option>
            {filter.experiment && !experiments.data?.some((e) => e.name === filter.experiment) && <option value={filter.experiment}>{filter.experiment}</option>}
            <Options options={experiments.data?.map((experiment) => experiment.name)} />
          </select>
        </label>
        <button type="button" className="button primary" disabled={selected.size < 2} onClick={compare}>
          Compare {selected.size > 0 ? `(${selected.size})` : ""}
        </button>
        {selected.size > 0 && (
          <button type="button" className="button ghost" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        )}
      </div>
      <JobsTable key={JSON.stringify(filter)} filter={filter} selected={selected} onToggle={toggle} />
    </section>
  );
}
