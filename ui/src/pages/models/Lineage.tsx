import { Fragment, type ReactNode } from "react";
import { Link } from "react-router";
import { useModelDeployments, type Model } from "../../api/models";
import { ErrorMessage } from "../../components/Status";
import { lineageOf } from "./lineage";

/** data version(s) → job → this model version → the endpoints deploying it, each a link. */
export function Lineage({ model }: { model: Model }) {
  const deployments = useModelDeployments(model);
  const { data, job, parentJob, run } = lineageOf(model);
  const steps: { title: string; items: ReactNode[] }[] = [
    {
      title: "Data",
      items: data.map((d) => (
        <Link key={`${d.name}:${d.version}`} to={`/data/${encodeURIComponent(d.name)}/${encodeURIComponent(d.version)}`}>
          {d.name}:{d.version}
        </Link>
      )),
    },
    {
      title: "Job",
      items: [
        ...(parentJob ? [<Link key="parent" to={`/jobs/${encodeURIComponent(parentJob)}`}>{parentJob}</Link>] : []),
        ...(job ? [<Link key="job" to={`/jobs/${encodeURIComponent(job)}`}>{job}</Link>] : []),
        ...(!job && run ? [<span key="run">MLflow run {run.slice(0, 12)}</span>] : []),
      ],
    },
    { title: "Model", items: [<strong key="self">{model.name}:{model.version}</strong>] },
    {
      title: "Endpoints",
      items: (deployments.data ?? []).map((d) => (
        <Link key={`${d.endpoint_name}/${d.name}`} to={`/endpoints/${encodeURIComponent(d.endpoint_name)}`}>
          {d.endpoint_name} / {d.name}
        </Link>
      )),
    },
  ];
  return (
    <section aria-labelledby="lineage-title">
      <h2 id="lineage-title">Lineage</h2>
      <ErrorMessage error={deployments.error} />
      <ol className="lineage" aria-label="Lineage">
        {steps.map((step, i) => (
          <Fragment key={step.title}>
            {i > 0 && (
              <li className="lineage-arrow" aria-hidden="true">
                →
              </li>
            )}
            <li className="lineage-step">
              <span className="lineage-title">{step.title}</span>
              {step.items.length ? (
                <ul>
                  {step.items.map((item, j) => (
                    <li key={j}>{item}</li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{step.title === "Endpoints" ? (deployments.isPending ? "…" : "not deployed") : "unknown"}</span>
              )}
            </li>
          </Fragment>
        ))}
      </ol>
    </section>
  );
}
