import { LineageLink } from "./LineageLink";
import { DetailTitle } from "./PageTitle";

type Version = { version: number; archived?: boolean | null };

type Props = {
  /** The list page the breadcrumb leads back to. */
  list: { to: string; label: string };
  name: string;
  /** The version on the page, once loaded. */
  shown: Version | undefined;
  versions: Version[] | undefined;
  onPick: (version: string) => void;
  /** The lineage node kind of the asset: a "Lineage" link to the graph around the shown version. */
  lineageKind?: "data" | "model";
};

/** A versioned asset's breadcrumb and heading (name:version, archived or not) with a picker of its versions. */
export function VersionedTitle({ list, name, shown, versions, onPick, lineageKind }: Props) {
  return (
    <DetailTitle
      list={list}
      name={name}
      badge={
        <>
          {shown && <span className="muted">:{shown.version}</span>}
          {shown?.archived && <span className="badge warn">archived</span>}
        </>
      }
    >
      {versions && versions.length > 0 && (
        <label className="inline-field">
          Version
          <select value={shown ? String(shown.version) : ""} onChange={(e) => onPick(e.target.value)}>
            {versions.map((v) => (
              <option key={v.version} value={String(v.version)}>
                {v.version}
                {v.archived ? " (archived)" : ""}
              </option>
            ))}
          </select>
        </label>
      )}
      {lineageKind && shown && <LineageLink node={`${lineageKind}:${name}:${shown.version}`} />}
    </DetailTitle>
  );
}
