import { useState } from "react";
import { Link } from "react-router";
import { useArchiveEnvironment, useEnvironments } from "../../api/environments";
import { DataTable, ACTIONS_COLUMN } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { PageTitleWithForm } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { BuildEnvironmentForm } from "./BuildEnvironmentForm";
import { versionLink } from "./environment";
import { ArchiveButton, EnvironmentState } from "./EnvironmentBits";

/** /environments — every version with its python, requirements and build state; build a new one, archive or restore. */
export default function EnvironmentList() {
  const [archived, setArchived] = useState(false);
  const environments = useEnvironments(archived);
  const archive = useArchiveEnvironment();
  return (
    <section>
      <PageTitleWithForm title="Environments" action="Build an environment" form={(close) => <BuildEnvironmentForm onDone={close} />} />
      <p className="muted">
        Versioned python + pip package sets, each built once into a cached virtualenv. Jobs and deployments name one as <code>azureml:name@latest</code> or <code>name:version</code>.
      </p>
      <label className="checkbox">
        <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived versions
      </label>
      <QueryState
        query={environments}
        error={archive.error}
        empty={
          <>
            No environments yet. Build one here or with <code>modelyard environment create -f env.yml</code>.
          </>
        }
      >
        {(items) => (
          <DataTable caption="Environments" columns={["Name", "Version", "Python", { label: "Requirements", className: "num" }, "State", "Created", ACTIONS_COLUMN]} testId="environments">
            {items.map((environment) => {
              const id = `${environment.name}:${environment.version}`;
              return (
                <tr key={id} data-environment={id}>
                  <td>
                    <Link to={versionLink(environment)}>{environment.name}</Link>
                    {environment.description && <div className="muted small">{environment.description}</div>}
                  </td>
                  <td>
                    {environment.version}
                    {environment.archived && <span className="muted small"> (archived)</span>}
                  </td>
                  <td>{environment.python ?? <span className="muted">server's</span>}</td>
                  <td className="num">{environment.pip?.length ?? 0}</td>
                  <td>
                    <EnvironmentState environment={environment} />
                  </td>
                  <td className="nowrap">{formatDate(environment.created_at)}</td>
                  <td className="nowrap">
                    <ArchiveButton environment={environment} archive={archive} className="button small" />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
