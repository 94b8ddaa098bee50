import { useComputes, useDeleteCompute, useSetComputeRunning, type Compute } from "../../api/compute";
import { ConfirmDelete, useDeleteConfirmation } from "../../components/ConfirmDelete";
import { ACTIONS_COLUMN, DataTable, type Column } from "../../components/DataTable";
import { PageTitleWithForm } from "../../components/PageTitle";
import { QueryState } from "../../components/QueryState";
import { formatDate } from "../../components/format";
import { CreateComputeForm } from "./CreateComputeForm";
import "./compute.css";

const COLUMNS: Column[] = [
  "Name",
  "Type",
  "State",
  {
    label: (
      <>
        Instances <span className="muted small">(idle / busy)</span>
      </>
    ),
    className: "num",
  },
  { label: "Min–max", className: "num" },
  { label: "Idle timeout", className: "num" },
  { label: "Queued jobs", className: "num" },
  "Created",
  ACTIONS_COLUMN,
];

/** /compute — the targets jobs run on, with live instance counts (polled), and notebook instances (open JupyterLab). */
export default function ComputePage() {
  const computes = useComputes();
  const remove = useDeleteCompute();
  const running = useSetComputeRunning();
  const confirmation = useDeleteConfirmation(remove);

  return (
    <section>
      <PageTitleWithForm title="Compute" action="New compute" form={(close) => <CreateComputeForm onDone={close} />} />
      <QueryState query={computes} error={remove.error ?? running.error}>
        {(items) => (
          <DataTable caption="Compute targets" columns={COLUMNS} className="table compute-table">
            {items.map((compute) => (
              <tr key={compute.name} data-compute={compute.name}>
                <td>
                  <strong>{compute.name}</strong>
                  {compute.description && <div className="muted small">{compute.description}</div>}
                  {compute.type === "ray" && <div className="mono small">{String(compute.config.address ?? "")}</div>}
                  {compute.type === "instance" &&
                    (compute.url ? (
                      <div className="small">
                        <a href={compute.url} target="_blank" rel="noreferrer" aria-label={`Open JupyterLab of ${compute.name}`}>
                          Open JupyterLab
                        </a>
                      </div>
                    ) : (
                      <div className="muted small">JupyterLab</div>
                    ))}
                </td>
                <td>{compute.type}</td>
                <td>
                  <span className={`compute-state ${compute.provisioning_state.toLowerCase()}`}>{stateLabel(compute)}</span>
                  {compute.provisioning_errors && <div className="error-inline small">{compute.provisioning_errors}</div>}
                </td>
                <td className="num" data-testid={`instances-${compute.name}`}>
                  {!pooled(compute) ? "—" : `${compute.instances?.current ?? 0} (${compute.instances?.idle ?? 0} / ${compute.instances?.busy ?? 0})`}
                </td>
                <td className="num">{!pooled(compute) ? "—" : `${compute.config.min_instances ?? 0}–${compute.config.max_instances ?? 1}`}</td>
                <td className="num">{idleLabel(compute)}</td>
                <td className="num">{compute.queued_jobs ?? 0}</td>
                <td>{compute.type === "local" ? "built in" : formatDate(compute.created_at)}</td>
                <td className="nowrap">
                  {compute.type !== "local" && (
                    <>
                      {!confirmation.isAsking(compute.name) && (
                        <>
                          <StartStop compute={compute} busy={remove.isPending || running.isPending} onRun={(run) => running.mutate({ name: compute.name, running: run })} />{" "}
                        </>
                      )}
                      <ConfirmDelete kind="compute" name={compute.name} confirmation={confirmation} busy={remove.isPending || running.isPending} cancelLabel="Keep it" />
                    </>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}

function stateLabel(compute: Compute): string {
  if (compute.provisioning_state === "Stopped") return "Stopped";
  if (compute.provisioning_state !== "Succeeded") return compute.provisioning_state;
  return compute.type === "ray" ? "Connected" : "Running";
}

/** Clusters and local have worker instances; Ray and notebook instances do not. */
const pooled = (compute: Compute) => compute.type === "local" || compute.type === "cluster";

function idleLabel(compute: Compute): string {
  if (compute.type === "instance") return compute.config.idle_shutdown_minutes ? `${compute.config.idle_shutdown_minutes} min` : "—";
  return pooled(compute) ? `${compute.config.idle_time_before_scale_down ?? "—"} s` : "—";
}

function StartStop({ compute, busy, onRun }: { compute: Compute; busy: boolean; onRun: (running: boolean) => void }) {
  const stopped = compute.provisioning_state === "Stopped" || (compute.type === "instance" && compute.provisioning_state === "Failed");
  return (
    <button type="button" className="button small" disabled={busy} onClick={() => onRun(stopped)} aria-label={`${stopped ? "Start" : "Stop"} ${compute.name}`}>
      {stopped ? "Start" : "Stop"}
    </button>
  );
}
