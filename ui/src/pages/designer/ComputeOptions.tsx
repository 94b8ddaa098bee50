import { useComputes } from "../../api/compute";

/** The compute targets a Designer run can use, as a select's options: "" is the local one. */
export function ComputeOptions() {
  const computes = useComputes();
  return (
    <>
      <option value="">local</option>
      {(computes.data ?? [])
        .filter((c) => c.name !== "local")
        .map((c) => (
          <option key={c.name}>{c.name}</option>
        ))}
    </>
  );
}
