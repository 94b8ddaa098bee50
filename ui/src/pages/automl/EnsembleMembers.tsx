import { Link } from "react-router";
import { formatValue } from "../../components/format";
import { KeyValues } from "../../components/KeyValues";
import { trialPath } from "./paths";

/** One member of a voting or stack ensemble (the trial's ``members`` property). */
export type EnsembleMember = { trial_id: string; weight: number };

/** An ensemble's members with their weights (each linking to its trial), then its own settings. */
export function EnsembleMembers({ runName, members, settings }: { runName: string; members: EnsembleMember[]; settings: Record<string, unknown> }) {
  return (
    <>
      <table className="table compact" data-testid="ensemble-members">
        <caption className="sr-only">Ensemble members and weights</caption>
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col" className="num">
              Weight
            </th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.trial_id}>
              <th scope="row">
                <Link to={trialPath(runName, m.trial_id)}>{m.trial_id}</Link>
              </th>
              <td className="num">{formatValue(m.weight)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <KeyValues values={settings} caption="Ensemble settings" empty="Default settings." />
    </>
  );
}
