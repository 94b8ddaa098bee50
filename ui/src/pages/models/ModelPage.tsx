import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { modelFileUrl, useModel, useModelFiles, useModelVersions, type Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { FileLinks } from "../../components/FileLinks";
import { ErrorMessage, Loading } from "../../components/Status";
import { VersionedTitle } from "../../components/VersionedTitle";
import { formatBytes, formatDate, formatValue } from "../../components/format";
import { AliasesAndArchive, EditModel } from "./EditModel";
import { Lineage } from "./Lineage";
import { ResponsibleAI } from "./ResponsibleAI";
import { Signature } from "./Signature";
import { Tags } from "./Tags";
import "./models.css";

/** /models/:name/:version? — one version of a registered model (latest when no version is given). */
export default function ModelPage() {
  const { name = "", version = "latest" } = useParams();
  const model = useModel(name, version);
  const versions = useModelVersions(name);
  const navigate = useNavigate();
  return (
    <section>
      <VersionedTitle
        list={{ to: "/models", label: "Models" }}
        name={name}
        lineageKind="model"
        shown={model.data}
        versions={versions.data}
        onPick={(picked) => navigate(`/models/${encodeURIComponent(name)}/${picked}`)}
      />
      <ErrorMessage error={model.error} />
      {model.isPending && <Loading />}
      {model.data && (
        <div className="model-page">
          <Lineage model={model.data} />
          <Details key={`${model.data.name}:${model.data.version}`} model={model.data} />
          <AliasesAndArchive model={model.data} />
          <Files model={model.data} />
          <Signature model={model.data} />
          <ResponsibleAI model={model.data} />
          <Versions name={name} models={versions.data} current={model.data.version} />
        </div>
      )}
    </section>
  );
}

function Details({ model }: { model: Model }) {
  const [editing, setEditing] = useState(false);
  const properties = Object.entries(model.properties ?? {});
  const metrics = Object.entries(((model.lineage ?? {}) as { metrics?: Record<string, number> }).metrics ?? {});
  return (
    <section aria-labelledby="details-title">
      <div className="toolbar">
        <h2 id="details-title">Details</h2>
        {!editing && (
          <button type="button" className="button small" onClick={() => setEditing(true)}>
            Edit description and tags
          </button>
        )}
      </div>
      {editing && <EditModel model={model} onDone={() => setEditing(false)} />}
      <dl className="details">
        <dt>Description</dt>
        <dd data-testid="model-description">{model.description || <span className="muted">none</span>}</dd>
        <dt>Tags</dt>
        <dd data-testid="model-tags">
          <Tags tags={model.tags} />
        </dd>
        <dt>Type</dt>
        <dd>
          {model.type}
          {(model.flavors ?? []).length > 0 && <span className="muted"> (flavors: {(model.flavors ?? []).join(", ")})</span>}
        </dd>
        <dt>Created</dt>
        <dd>{formatDate(model.created_at)}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(model.size_bytes)}</dd>
        <dt>sha256</dt>
        <dd className="mono break">{model.sha256}</dd>
        <dt>Source</dt>
        <dd className="mono break">{model.source}</dd>
        {properties.map(([k, v]) => (
          <Term key={`p-${k}`} term={k} value={formatValue(v)} />
        ))}
        {metrics.map(([k, v]) => (
          <Term key={`m-${k}`} term={`${k} (metric)`} value={formatValue(v)} />
        ))}
      </dl>
    </section>
  );
}

function Term({ term, value }: { term: string; value: string }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{value}</dd>
    </>
  );
}

function Files({ model }: { model: Model }) {
  const files = useModelFiles(model);
  return (
    <section aria-labelledby="files-title">
      <h2 id="files-title">Files</h2>
      <FileLinks files={files} href={(file) => modelFileUrl(model, file)} />
    </section>
  );
}

function Versions({ name, models, current }: { name: string; models: Model[] | undefined; current: number }) {
  if (!models) return null;
  return (
    <section aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      <DataTable caption={`Versions of ${name}`} columns={["Version", "Aliases", "Created", "State", "sha256"]} className="table compact">
        {models.map((m) => (
          <tr key={m.version} aria-current={m.version === current ? "true" : undefined}>
            <td>
              <Link to={`/models/${encodeURIComponent(name)}/${m.version}`}>{m.version}</Link>
              {m.version === current && <span className="muted small"> (shown)</span>}
            </td>
            <td>{(m.aliases ?? []).map((a) => `@${a}`).join(", ") || "—"}</td>
            <td>{formatDate(m.created_at)}</td>
            <td>{m.archived ? <span className="badge warn">archived</span> : "active"}</td>
            <td className="mono" title={m.sha256}>
              {m.sha256.slice(0, 12)}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
