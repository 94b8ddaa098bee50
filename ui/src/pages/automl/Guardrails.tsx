import type { Guardrail } from "../../api/automl";
import { DataTable } from "../../components/DataTable";
import { formatCell } from "../../components/format";

/** Azure-style data guardrails: passed, done (the run fixed something) or alerted (look at the data). */
export function Guardrails({ rails }: { rails: Guardrail[] }) {
  return (
    <section aria-labelledby="guardrails-heading">
      <h2 id="guardrails-heading">Data guardrails</h2>
      {rails.length === 0 ? (
        <p className="muted">The guardrails are checked once the data is loaded.</p>
      ) : (
        <ul className="guardrails">
          {rails.map((rail) => (
            <li key={rail.name} className={`guardrail ${rail.status}`}>
              <div>
                <strong>{rail.name}</strong> <span className={`rail-status ${rail.status}`}>{rail.status}</span>
              </div>
              <p>{rail.description}</p>
              {rail.details.length > 0 && <Details details={rail.details} caption={`${rail.name}: details`} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Details({ details, caption }: { details: Record<string, unknown>[]; caption: string }) {
  const keys = [...new Set(details.flatMap((d) => Object.keys(d)))];
  return (
    <DataTable caption={caption} columns={keys.map((k) => k.replaceAll("_", " "))} className="table compact">
      {details.map((d, i) => (
        <tr key={i}>
          {keys.map((k) => (
            <td key={k}>{formatCell(d[k])}</td>
          ))}
        </tr>
      ))}
    </DataTable>
  );
}
