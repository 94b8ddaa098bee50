import { useComputeProfile, useDataProfile, type DataAsset } from "../../api/data";
import { ErrorMessage, Loading } from "../../components/Status";
import { formatDate } from "../../components/format";
import { ProfileTable } from "./ProfileTable";

/** The Profile tab (its own chunk: it carries the chart library). */
export default function Profile({ asset }: { asset: DataAsset }) {
  const version = String(asset.version);
  const tabular = asset.type === "mltable";
  const profile = useDataProfile(asset.name, version, tabular && asset.has_profile);
  const compute = useComputeProfile(asset.name, version);

  if (!tabular) return <p className="muted">Only tabular (mltable) datasets have a profile.</p>;
  const data = compute.data ?? profile.data;
  return (
    <div>
      <div className="toolbar">
        {data && (
          <p className="muted" data-testid="profile-summary">
            {data.rows.toLocaleString("en-US")} rows · {data.columns.length} columns · computed {formatDate(data.computed_at)} in{" "}
            {data.seconds.toFixed(2)} s
          </p>
        )}
        {!asset.has_profile && !data && <p>This version has no profile yet.</p>}
        <button type="button" className="button" onClick={() => compute.mutate()} disabled={compute.isPending}>
          {compute.isPending ? "Profiling…" : data ? "Recompute profile" : "Generate profile"}
        </button>
      </div>
      <ErrorMessage error={profile.error ?? compute.error} />
      {profile.isLoading && <Loading what="Loading the profile" />}
      {data && <ProfileTable profile={data} />}
    </div>
  );
}
