// Loaded on demand (the profile's column charts carry the chart library).
import { usePortProfile } from "../../api/designer";
import { ErrorMessage, Loading } from "../../components/Status";
import { ProfileTable } from "../data/ProfileTable";

/** Per-column statistics of a step's dataset output, as a data asset's Profile tab shows them. */
export default function PortProfile({ job, port }: { job: string; port: string }) {
  const profile = usePortProfile(job, port);
  if (profile.isPending) return <Loading what="Profiling the columns" />;
  if (profile.error) return <ErrorMessage error={profile.error} />;
  return (
    <section aria-label="Column statistics">
      <p className="muted">
        {profile.data.rows.toLocaleString("en-US")} rows · {profile.data.columns.length} columns
      </p>
      <ProfileTable profile={profile.data} />
    </section>
  );
}
