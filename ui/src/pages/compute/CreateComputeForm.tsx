import { useState, type FormEvent } from "react";
import { useCreateCompute, type ComputeCreate } from "../../api/compute";
import { Field, hintId, SelectField } from "../../components/Field";
import { ErrorMessage } from "../../components/Status";

type Kind = "cluster" | "ray" | "instance";
const KINDS: { value: Kind; label: string }[] = [
  { value: "cluster", label: "Cluster (worker processes on the server)" },
  { value: "ray", label: "Ray cluster" },
  { value: "instance", label: "Compute instance (JupyterLab)" },
];

/** A new cluster (min/max instances, idle seconds before scale-down), a Ray cluster (its address) or a
 * compute instance (a JupyterLab server; optional idle shutdown). */
export function CreateComputeForm({ onDone }: { onDone: () => void }) {
  const create = useCreateCompute();
  const [kind, setKind] = useState<Kind>("cluster");
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [minInstances, setMin] = useState("0");
  const [maxInstances, setMax] = useState("2");
  const [idleSeconds, setIdle] = useState("120");
  const [address, setAddress] = useState("");
  const [idleMinutes, setIdleMinutes] = useState("");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const common = { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) };
    // numbers go as typed (an empty field takes the default): the API checks them and says what is wrong
    const count = (value: string) => (value.trim() === "" ? undefined : Number(value));
    const spec: ComputeCreate =
      kind === "cluster"
        ? { ...common, type: "cluster", min_instances: count(minInstances), max_instances: count(maxInstances), idle_time_before_scale_down: count(idleSeconds) }
        : kind === "instance"
          ? { ...common, type: "instance", idle_shutdown_minutes: count(idleMinutes) }
          : { ...common, type: "ray", address: address.trim() };
    create.mutate(spec, { onSuccess: onDone });
  };

  return (
    <form className="form card" onSubmit={submit} aria-label="New compute">
      <h2>New compute</h2>
      <div className="form-grid">
        <SelectField id="compute-type" label="Type" value={kind} options={KINDS} onChange={(picked) => setKind(picked as Kind)} />
        <Field id="compute-name" label="Name">
          <input id="compute-name" required value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" placeholder="cpucluster" />
        </Field>
        <Field id="compute-description" label="Description">
          <input id="compute-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        {kind === "cluster" ? (
          <>
            <NumberField id="compute-min" label="Minimum instances" value={minInstances} onChange={setMin} hint="instances kept running while idle" />
            <NumberField id="compute-max" label="Maximum instances" value={maxInstances} onChange={setMax} hint="jobs run in parallel up to this many" />
            <NumberField id="compute-idle" label="Idle seconds before scale down" value={idleSeconds} onChange={setIdle} hint="an idle instance above the minimum stops after this" />
          </>
        ) : kind === "instance" ? (
          <NumberField id="compute-idle-minutes" label="Idle shutdown (minutes)" value={idleMinutes} onChange={setIdleMinutes} hint="empty: never; JupyterLab stops after this long without activity" />
        ) : (
          <Field id="compute-address" label="Address" hint="the Ray dashboard address; the server checks that its job API answers">
            <input
              id="compute-address"
              required
              className="mono"
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              placeholder="http://127.0.0.1:8265"
              aria-describedby={hintId("compute-address")}
            />
          </Field>
        )}
      </div>
      <ErrorMessage error={create.error} title="Could not create the compute" />
      <div className="actions">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create"}
        </button>
      </div>
    </form>
  );
}

function NumberField({ id, label, value, onChange, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; hint: string }) {
  return (
    <Field id={id} label={label} hint={hint}>
      <input id={id} type="number" inputMode="numeric" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={hintId(id)} />
    </Field>
  );
}
