import { useModelFiles, useModelInputExample, type Model } from "../../api/models";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/Status";

type SignatureColumn = { name?: string; type?: string; required?: boolean };

/** MLflow keeps each side of a signature as a JSON string: `[{"name": "Age", "type": "long"}, ...]`. */
export function signatureColumns(side: unknown): SignatureColumn[] {
  try {
    const parsed = typeof side === "string" ? JSON.parse(side) : side;
    return Array.isArray(parsed) ? (parsed as SignatureColumn[]) : [];
  } catch {
    return [];
  }
}

/** The MLflow signature (inputs and outputs) and the input example saved with the model. */
export function Signature({ model }: { model: Model }) {
  const files = useModelFiles(model);
  const exampleFile = files.data?.find((f) => f.name === "input_example.json")?.name;
  const example = useModelInputExample(model, exampleFile);
  const inputs = signatureColumns(model.signature?.inputs);
  const outputs = signatureColumns(model.signature?.outputs);
  if (!model.signature && !exampleFile) return null;
  return (
    <section aria-labelledby="signature-title">
      <h2 id="signature-title">Signature</h2>
      {inputs.length > 0 && (
        <DataTable caption="Input columns" columns={["Input", "Type", "Required"]} className="table compact" scrollClassName="schema-scroll">
          {inputs.map((c, i) => (
            <tr key={c.name ?? i}>
              <td>{c.name ?? `#${i}`}</td>
              <td>{c.type ?? "—"}</td>
              <td>{c.required === false ? "no" : "yes"}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {outputs.length > 0 && (
        <p>
          Output: {outputs.map((c, i) => `${c.name ?? `#${i}`} (${c.type ?? "?"})`).join(", ")}
        </p>
      )}
      <ErrorMessage error={example.error} />
      {example.data !== undefined && (
        <>
          <h3>Input example</h3>
          <pre className="example-json" tabIndex={0} aria-label="Input example">
            {JSON.stringify(example.data, null, 2)}
          </pre>
        </>
      )}
    </section>
  );
}
