import { useState } from "react";
import { useSearchParams } from "react-router";
import { useComputes, useDeleteCompute, useSetComputeRunning, type Compute } from "../../api/compute";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatDate } from "../../components/format";
import { CreateComputeForm } from "./CreateComputeForm";
import "./compute.css";

/** /compute — the targets jobs run on, with live instance counts (polled). */
export default function ComputePage() {
  const computes = useComputes();
  const remove = useDeleteCompute();
  const running = useSetComputeRunning();
  const [search] = useSearchParams();
  const [creating, setCreating] = useState(search.has("new")); // /compute?new opens the form (Home links here)
  const [confirming, setConfirming] = useState<string | null>(null);

  return (
    <section>
      <div className="page-title">
        <h1>Compute</h1>
        {!creating && (
          <button type="button" className="button primary" onClick={() => setCreating(true)}>
            New compute
          </button>
        )}
      </div>
      {creating && <CreateComputeForm onDone={() => setCreating(false)} />}
      <ErrorMessage error={computes.error ?? remove.error ?? running.error} />
      {computes.isPending && <Loading />}
      {computes.data && (
        <div className="table-scroll">
          <table className="table compute-table">
            <caption className="sr-only">Compute targets</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Instances <span className="muted small">(idle / busy)</span>
                </th>
                <th scope="col" className="num">
                  Min–max
                </th>
                <th scope="col" className="num">
                  Idle before scale-down
                </th>
                <th scope="col" className="num">
                  Queued jobs
                </th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {computes.data.map((compute) => (
                <tr key={compute.name} data-compute={compute.name}>
                  <td>
                    <strong>{compute.name}</strong>
                    {compute.description && <div className="muted small">{compute.description}</div>}
                    {compute.type === "ray" && <div className="mono small">{String(compute.config.address ?? "")}</div>}
                  </td>
                  <td>{compute.type}</td>
                  <td>
                    <span className={`compute-state ${compute.provisioning_state.toLowerCase()}`}>{stateLabel(compute)}</span>
                    {compute.provisioning_errors && <div className="error-inline small">{compute.provisioning_errors}</div>}
                  </td>
                  <td className="num" data-testid={`instances-${compute.name}`}>
                    {compute.type === "ray" ? "—" : `${compute.instances?.current ?? 0} (${compute.instances?.idle ?? 0} / ${compute.instances?.busy ?? 0})`}
                  </td>
                  <td className="num">{compute.type === "ray" ? "—" : `${compute.config.min_instances ?? 0}–${compute.config.max_instances ?? 1}`}</td>
                  <td className="num">{compute.type === "ray" ? "—" : `${compute.config.idle_time_before_scale_down ?? "—"} s`}</td>
                  <td className="num">{compute.queued_jobs ?? 0}</td>
                  <td>{compute.type === "local" ? "built in" : formatDate(compute.created_at)}</td>
                  <td className="nowrap">
                    {compute.type !== "local" && (
                      <Actions
                        compute={compute}
                        busy={remove.isPending || running.isPending}
                        confirming={confirming === compute.name}
                        onConfirm={(yes) => {
                          remove.reset();
                          setConfirming(yes ? compute.name : null);
                        }}
                        onDelete={() => remove.mutate(compute.name, { onSettled: () => setConfirming(null) })}
                        onRun={(run) => running.mutate({ name: compute.name, running: run })}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function stateLabel(compute: Compute): string {
  if (compute.provisioning_state === "Stopped") return "Stopped";
  if (compute.provisioning_state !== "Succeeded") return compute.provisioning_state;
  return compute.type === "ray" ? "Connected" : "Running";
}

type ActionsProps = {
  compute: Compute;
  busy: boolean;
  confirming: boolean;
  onConfirm: (yes: boolean) => void;
  onDelete: () => void;
  onRun: (running: boolean) => void;
};

function Actions({ compute, busy, confirming, onConfirm, onDelete, onRun }: ActionsProps) {
  if (confirming) {
    return (
      <>
        <button type="button" className="button danger small" disabled={busy} onClick={onDelete}>
          Delete {compute.name}
        </button>{" "}
        <button type="button" className="button small" onClick={() => onConfirm(false)}>
          Keep it
        </button>
      </>
    );
  }
  const stopped = compute.provisioning_state === "Stopped";
  return (
    <>
      <button type="button" className="button small" disabled={busy} onClick={() => onRun(stopped)} aria-label={`${stopped ? "Start" : "Stop"} ${compute.name}`}>
        {stopped ? "Start" : "Stop"}
      </button>{" "}
      <button type="button" className="button small" onClick={() => onConfirm(true)} aria-label={`Delete compute ${compute.name}`}>
        Delete
      </button>
    </>
  );
}
