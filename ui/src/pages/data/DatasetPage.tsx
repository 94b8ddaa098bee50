import { lazy, Suspense } from "react";
import { useNavigate, useParams } from "react-router";
import { useDataAsset, useDataVersions } from "../../api/data";
import { ErrorMessage, Loading } from "../../components/Status";
import { Tabs, useTabParam } from "../../components/Tabs";
import { VersionedTitle } from "../../components/VersionedTitle";
import { Consume } from "./Consume";
import { Details } from "./Details";
import { Explore } from "./Explore";
import { Versions } from "./Versions";

// The profile table carries the chart library: its own chunk, loaded when the tab opens.
const Profile = lazy(() => import("./Profile"));

const TABS = [
  { id: "details", label: "Details" },
  { id: "explore", label: "Explore" },
  { id: "profile", label: "Profile" },
  { id: "versions", label: "Versions" },
  { id: "consume", label: "Consume" },
] as const;

/** /data/:name/:version? — one version of a data asset (latest when no version is given). */
export default function DatasetPage() {
  const { name = "", version = "latest" } = useParams();
  const navigate = useNavigate();
  const [tab, select] = useTabParam(TABS);
  const asset = useDataAsset(name, version);
  const versions = useDataVersions(name);

  const resolved = asset.data ? String(asset.data.version) : version;
  return (
    <section>
      <VersionedTitle
        list={{ to: "/data", label: "Data" }}
        name={name}
        lineageKind="data"
        shown={asset.data}
        versions={versions.data}
        onPick={(picked) => navigate(`/data/${encodeURIComponent(name)}/${picked}${tab === "details" ? "" : `?tab=${tab}`}`)}
      />
      <ErrorMessage error={asset.error} />
      {asset.isPending && <Loading />}
      {asset.data && (
        <Tabs label="Dataset" tabs={TABS} current={tab} onSelect={select}>
          {tab === "details" && <Details asset={asset.data} />}
          {tab === "explore" && <Explore name={name} version={resolved} />}
          {tab === "profile" && (
            <Suspense fallback={<Loading what="Loading the profile" />}>
              <Profile asset={asset.data} />
            </Suspense>
          )}
          {tab === "versions" && <Versions name={name} current={asset.data.version} />}
          {tab === "consume" && <Consume asset={asset.data} />}
        </Tabs>
      )}
    </section>
  );
}
