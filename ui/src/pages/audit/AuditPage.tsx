import { Fragment, useState } from "react";
import { useAuditRecords, useAuditVerification, type AuditFilter, type AuditRecord } from "../../api/audit";
import { DataTable } from "../../components/DataTable";
import { formatDate } from "../../components/format";
import { PageTitle } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { ErrorMessage, Loading } from "../../components/Status";
import { useDebounced } from "../designer/useDebounced";
import "./audit.css";

const NO_FILTER: AuditFilter = { since: "", noun: "", who: "" };

/** What `GET /api/audit/verify` found: the chain intact, or each removed or edited record. */
function ChainVerification() {
  const verify = useAuditVerification();
  if (verify.error) return <ErrorMessage error={verify.error} title="Could not verify the audit chain" />;
  if (!verify.data) return <Loading what="Verifying the chain" />;
  const { ok, records, head, problems } = verify.data;
  return (
    <div className={`card chain ${ok ? "chain-ok" : "chain-broken"}`} role="status" data-testid="audit-verify">
      <div className="toolbar">
        <strong>{ok ? `Chain verified: ${records} records intact` : `Chain broken: ${problems?.length} problem(s) in ${records} records`}</strong>
        {head && <span className="muted small mono" title="Copy this hash somewhere else to pin the chain's end">head {head.slice(0, 16)}…</span>}
        <button type="button" className="button small" disabled={verify.isFetching} onClick={() => verify.refetch()}>
          Verify again
        </button>
      </div>
      {!ok && (
        <ul>
          {(problems ?? []).map((p) => (
            <li key={`${p.seq}-${p.problem}`}>
              record {p.seq}: {p.problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A record's changed store rows: each field before and after (secrets come masked from the server). */
export function DiffView({ record }: { record: AuditRecord }) {
  if (!record.diff?.length) return <p className="muted">No store row changed{record.status >= 400 ? " (the call was refused)" : ""}.</p>;
  return (
    <div className="audit-diff">
      {record.diff.map((change, i) => {
        const { table, op, row, before, after } = change as { table?: string; op?: string; row?: unknown; before?: Record<string, unknown>; after?: Record<string, unknown> };
        const fields = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
        return (
          <div key={i}>
            <p>
              <strong>{op}</strong> {table} <span className="mono small">{JSON.stringify(row)}</span>
            </p>
            {fields.length > 0 && (
              <DataTable caption={`Changed fields of ${table}`} columns={["Field", "Before", "After"]} className="table compact">
                {fields.map((field) => (
                  <tr key={field}>
                    <th scope="row">{field}</th>
                    <td className="mono small break diff-before">{before && field in before ? JSON.stringify(before[field]) : ""}</td>
                    <td className="mono small break diff-after">{after && field in after ? JSON.stringify(after[field]) : ""}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </div>
        );
      })}
    </div>
  );
}

/** /audit — who changed what, when and why; filters, each record's diff, and the chain's verification. */
export default function AuditPage() {
  const [filter, setFilter] = useState<AuditFilter>(NO_FILTER);
  const shown = useDebounced(filter, 300);
  const records = useAuditRecords(shown);
  const [open, setOpen] = useState<number | null>(null);
  const field = (key: keyof AuditFilter, label: string, placeholder: string) => (
    <label className="inline-field">
      {label}
      <input value={filter[key]} placeholder={placeholder} size={12} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} />
    </label>
  );
  return (
    <section>
      <PageTitle title="Audit trail" />
      <ChainVerification />
      <div className="toolbar" role="search" aria-label="Filter the audit records">
        {field("since", "Since", "7d, 12h or a date")}
        {field("noun", "Noun", "model, schedule…")}
        {field("who", "Who", "token:…, a user")}
      </div>
      <QueryState query={records} empty="No audit records match.">
        {(items) => (
          <DataTable caption="Audit records, newest first" columns={["#", "When", "Who", "Verb", "Noun", "Name", "Version", "Reason", "Status", "Diff"]} testId="audit-records">
            {items.map((record) => (
              <Fragment key={record.seq}>
                <tr data-seq={record.seq}>
                  <td>{record.seq}</td>
                  <td className="nowrap">{formatDate(record.at)}</td>
                  <td className="mono small" title={record.client ?? undefined}>
                    {record.who}
                  </td>
                  <td>{record.verb}</td>
                  <td>{record.noun}</td>
                  <td className="break">{record.name ?? ""}</td>
                  <td>{record.version ?? ""}</td>
                  <td className="break">{record.reason ?? ""}</td>
                  <td>
                    <span className={record.status >= 400 ? "badge warn" : "badge"}>{record.status}</span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small"
                      aria-expanded={open === record.seq}
                      aria-label={`Diff of record ${record.seq}`}
                      onClick={() => setOpen(open === record.seq ? null : record.seq)}
                    >
                      {open === record.seq ? "Hide" : "Diff"}
                    </button>
                  </td>
                </tr>
                {open === record.seq && (
                  <tr className="audit-diff-row">
                    <td colSpan={10}>
                      <p className="muted small mono">
                        {record.method} {record.path}
                      </p>
                      <DiffView record={record} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
