import { ParameterField } from "./ParameterField";
import { valueSpec, type FieldError, type PipelineParameterRow } from "./pipelineParameters";

type Props = {
  rows: PipelineParameterRow[];
  values: Record<string, unknown>;
  onChange: (name: string, value: unknown) => void;
  /** keeps the fields' ids apart from the properties panel's */
  idPrefix: string;
  /** a server error about one of the parameters, shown under its field */
  error: FieldError;
};

/** A value per pipeline parameter, each in the control of the module parameter bound to it, prefilled with its default. */
export function PipelineParameterFields({ rows, values, onChange, idPrefix, error }: Props) {
  return (
    <div className="pipeline-parameter-fields">
      {rows.map((row) => (
        <div key={row.name} data-parameter={row.name}>
          <ParameterField spec={valueSpec(row, idPrefix, `${row.name} (${row.type})`)} value={values[row.name]} columns={undefined} onChange={(value) => onChange(row.name, value)} />
          {error?.name === row.name && (
            <p className="error-inline" role="alert">
              {error.message}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}
