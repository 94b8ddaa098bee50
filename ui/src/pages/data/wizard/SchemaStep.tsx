import type { FormEvent } from "react";
import { COLUMN_TYPES, type ColumnType, useSourcePreview } from "../../../api/data";
import { DataTable } from "../../../components/DataTable";
import { Options } from "../../../components/Options";
import { PreviewTable } from "../../../components/PreviewTable";
import { ErrorMessage, Loading } from "../../../components/Status";
import { StepActions } from "../../../components/StepActions";
import type { StepProps } from "../CreateDataWizard";
import { columnOverrides, previewRequest } from "./state";

/** Per-column type and include/exclude, with the preview re-read (and re-validated) by the server. */
export function SchemaStep({ state, update, datastores, onNext, onBack }: StepProps) {
  const inferred = useSourcePreview(previewRequest(state, datastores));
  const overrides = columnOverrides(state, inferred.data?.columns);
  const validated = useSourcePreview(inferred.data ? previewRequest(state, datastores, overrides) : null);

  const setColumn = (name: string, change: { type?: ColumnType; include?: boolean }) =>
    update((s) => ({ ...s, overrides: { ...s.overrides, [name]: { ...s.overrides[name], ...change } } }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (validated.data && !validated.isError) onNext();
  };

  return (
    <form onSubmit={submit} className="form" aria-label="Schema">
      <ErrorMessage error={inferred.error} />
      {inferred.isPending && <Loading what="Inferring the schema" />}
      {inferred.data && (
        <DataTable caption="Columns: include and type" columns={["Include", "Column", "Type", "Inferred"]} className="table compact" scrollClassName="schema-scroll">
          {inferred.data.columns.map((column) => {
            const change = state.overrides[column.name] ?? {};
            const include = change.include ?? true;
            return (
              <tr key={column.name} className={include ? undefined : "excluded"}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Include ${column.name}`}
                    checked={include}
                    onChange={(e) => setColumn(column.name, { include: e.target.checked })}
                  />
                </td>
                <td>{column.name}</td>
                <td>
                  <select
                    aria-label={`Type of ${column.name}`}
                    value={change.type ?? column.type}
                    disabled={!include}
                    onChange={(e) => {
                      const type = e.target.value as ColumnType;
                      setColumn(column.name, { type: type === column.type ? undefined : type });
                    }}
                  >
                    <Options options={COLUMN_TYPES} />
                  </select>
                </td>
                <td className="muted">{column.type}</td>
              </tr>
            );
          })}
        </DataTable>
      )}

      <section aria-labelledby="schema-preview-title" className="preview">
        <h2 id="schema-preview-title">
          Preview with this schema{" "}
          {validated.isFetching && <span className="muted small" role="status">checking…</span>}
        </h2>
        <ErrorMessage error={validated.error} title="This schema does not fit the data" />
        {validated.data && !validated.isError && (
          <PreviewTable columns={validated.data.columns} rows={validated.data.rows} caption="First rows with this schema" />
        )}
      </section>

      <StepActions onBack={onBack} ready={Boolean(validated.data) && !validated.isError && !validated.isFetching} />
    </form>
  );
}
