import { dataFileUrl, useDataFiles, type DataAsset } from "../../api/data";
import { DataTable } from "../../components/DataTable";
import { FileLinks } from "../../components/FileLinks";
import { formatBytes, formatDate } from "../../components/format";
import { TYPE_LABELS } from "./DataList";
import { describeSource } from "./source";

export function Details({ asset }: { asset: DataAsset }) {
  const files = useDataFiles(asset.name, String(asset.version));
  return (
    <div className="details-layout">
      <dl className="details">
        <dt>Name</dt>
        <dd>{asset.name}</dd>
        <dt>Version</dt>
        <dd>{asset.version}</dd>
        <dt>Type</dt>
        <dd>{TYPE_LABELS[asset.type] ?? asset.type} ({asset.type})</dd>
        <dt>Description</dt>
        <dd>{asset.description || <span className="muted">none</span>}</dd>
        <dt>Created</dt>
        <dd>{formatDate(asset.created_at)}</dd>
        <dt>Rows</dt>
        <dd>{asset.rows?.toLocaleString("en-US") ?? "—"}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(asset.size_bytes)}</dd>
        <dt>Path</dt>
        <dd className="mono break">{describeSource(asset.path)}</dd>
        <dt>Source</dt>
        <dd className="mono break" data-testid="data-source">
          {describeSource(asset.source)}
        </dd>
        <dt>Content hash</dt>
        <dd className="mono break">sha256:{asset.content_hash}</dd>
        {asset.parse && (
          <>
            <dt>Settings</dt>
            <dd>
              format {asset.parse.format ?? "detected"}, delimiter{" "}
              {asset.parse.delimiter ? JSON.stringify(asset.parse.delimiter) : "detected"}, encoding {asset.parse.encoding},{" "}
              {asset.parse.header?.replaceAll("_", " ")}, skip {asset.parse.skip_rows ?? 0} rows
            </dd>
          </>
        )}
        {Object.keys(asset.tags ?? {}).length > 0 && (
          <>
            <dt>Tags</dt>
            <dd>
              {Object.entries(asset.tags ?? {}).map(([k, v]) => (
                <span key={k} className="badge">
                  {k}: {v}
                </span>
              ))}
            </dd>
          </>
        )}
      </dl>

      {asset.columns && (
        <section>
          <h2>Schema</h2>
          <DataTable columns={["Column", "Type", "Included"]} className="table compact" scrollClassName="schema-scroll">
            {asset.columns.map((c) => (
              <tr key={c.name} className={c.include === false ? "excluded" : undefined}>
                <td>{c.name}</td>
                <td>{c.type}</td>
                <td>{c.include === false ? "no" : "yes"}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}

      <section>
        <h2>Files</h2>
        <FileLinks files={files} href={(file) => dataFileUrl(asset, file)} />
      </section>
    </div>
  );
}
