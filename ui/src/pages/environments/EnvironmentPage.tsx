import { Link, useNavigate, useParams } from "react-router";
import { isBuilding, useArchiveEnvironment, useBuildEnvironment, useBuildLog, useEnvironment, type Environment } from "../../api/environments";
import { CodeBlock } from "../../components/CodeBlock";
import { formatDate } from "../../components/format";
import { DetailTitle } from "../../components/PageTitle";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { environmentYaml, rebuildSpec, versionLink } from "./environment";
import { ArchiveButton, EnvironmentState } from "./EnvironmentBits";

const TABS = [
  { id: "spec", label: "Spec" },
  { id: "packages", label: "Packages (pip freeze)" },
  { id: "log", label: "Build log" },
] as const;

/** /environments/:name/:version — a version's spec, what its build installed, its build log and state; build again, archive. */
export default function EnvironmentPage() {
  const { name = "", version = "latest" } = useParams();
  const environment = useEnvironment(name, version);
  const build = useBuildEnvironment();
  const archive = useArchiveEnvironment();
  const navigate = useNavigate();
  const found = environment.data;
  return (
    <section>
      <DetailTitle list={{ to: "/environments", label: "Environments" }} name={`${name}:${found?.version ?? version}`} badge={found && <>{" "}<EnvironmentState environment={found} /></>}>
        {found && (
          <div className="actions">
            <button
              type="button"
              className="button"
              disabled={build.isPending}
              title="Versions are immutable: this builds the same python and requirements as the next version"
              onClick={() => build.mutate(rebuildSpec(found), { onSuccess: (next) => navigate(versionLink(next)) })}
            >
              Build again as a new version
            </button>
            <ArchiveButton environment={found} archive={archive} />
          </div>
        )}
      </DetailTitle>
      <ErrorMessage error={environment.error ?? build.error ?? archive.error} />
      {environment.isPending && <Loading />}
      {found && <EnvironmentDetails environment={found} />}
    </section>
  );
}

function EnvironmentDetails({ environment }: { environment: Environment }) {
  const [tab, select] = useTabParam(TABS);
  const log = useBuildLog(environment.name, String(environment.version), isBuilding(environment));
  const packages = environment.packages ?? [];
  return (
    <>
      <dl className="details" data-testid="environment-details">
        <dt>Python</dt>
        <dd>{environment.python ?? "the server's interpreter"}</dd>
        <dt>Requirements</dt>
        <dd>{environment.pip?.length ? environment.pip.join(", ") : "none (the server's packages only)"}</dd>
        {environment.description && (
          <>
            <dt>Description</dt>
            <dd>{environment.description}</dd>
          </>
        )}
        <dt>Build job</dt>
        <dd>{environment.build_job ? <Link to={`/jobs/${encodeURIComponent(environment.build_job)}`}>{environment.build_job}</Link> : "—"}</dd>
        {environment.error && (
          <>
            <dt>Build failed</dt>
            <dd className="error-inline">{environment.error}</dd>
          </>
        )}
        <dt>Content hash</dt>
        <dd className="mono small break">{environment.content_hash}</dd>
        <dt>Created</dt>
        <dd>
          {formatDate(environment.created_at)}
          {environment.archived && " (archived)"}
        </dd>
      </dl>
      <Tabs label="Environment" tabs={TABS} current={tab} onSelect={select}>
        {tab === "spec" && <CodeBlock code={environmentYaml(environment)} label="environment.yml" />}
        {tab === "packages" &&
          (packages.length ? (
            <CodeBlock code={packages.join("\n") + "\n"} label="pip freeze" />
          ) : (
            <p className="muted">{environment.state === "Failed" ? "Nothing installed: the build failed (see its log)." : "Not built yet."}</p>
          ))}
        {tab === "log" && (
          <>
            <ErrorMessage error={log.error} />
            {log.data !== undefined && <CodeBlock code={log.data} label="build log" />}
          </>
        )}
      </Tabs>
    </>
  );
}
