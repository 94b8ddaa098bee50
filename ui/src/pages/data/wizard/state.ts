// The create-dataset wizard's state as plain data, and the API requests derived from it.
import type { ColumnOverride, ColumnType, DataAssetCreate, DataSourcePreview, ParseSettings } from "../../../api/data";
import type { Datastore } from "../../../api/datastores";

export type SourceKind = "upload" | "datastore" | "path";
export type DataKind = DataAssetCreate["type"];

export interface WizardState {
  name: string;
  description: string;
  type: NonNullable<DataKind>;
  source: {
    kind: SourceKind;
    uploadedPath: string;
    fileName: string;
    datastore: string;
    datastorePath: string;
    query: string;
    serverPath: string;
  };
  parse: {
    format: "" | NonNullable<ParseSettings["format"]>;
    delimiter: string; // "" = detect
    encoding: string;
    header: NonNullable<ParseSettings["header"]>;
    skipRows: number;
  };
  overrides: Record<string, { type?: ColumnType; include?: boolean }>;
  profile: boolean;
}

export const initialState: WizardState = {
  name: "",
  description: "",
  type: "mltable",
  source: { kind: "upload", uploadedPath: "", fileName: "", datastore: "", datastorePath: "", query: "", serverPath: "" },
  parse: { format: "", delimiter: "", encoding: "utf-8", header: "all_files_same_headers", skipRows: 0 },
  overrides: {},
  profile: true,
};

/** Where the data comes from, as the API's `path` or `datastore` + `query` fields; null while incomplete. */
export function sourceFields(
  state: WizardState,
  datastores: Datastore[] | undefined,
): { path?: string; datastore?: string; query?: string } | null {
  const source = state.source;
  if (source.kind === "upload") return source.uploadedPath ? { path: source.uploadedPath } : null;
  if (source.kind === "path") return source.serverPath.trim() ? { path: source.serverPath.trim() } : null;
  if (!source.datastore) return null;
  const store = datastores?.find((d) => d.name === source.datastore);
  if (store?.type === "sql") return source.query.trim() ? { datastore: source.datastore, query: source.query.trim() } : null;
  const path = source.datastorePath.trim().replace(/^\/+/, "");
  return path ? { path: `modelyard://datastores/${source.datastore}/paths/${path}` } : null;
}

export function parseSettings(state: WizardState): ParseSettings {
  const settings: ParseSettings = {
    encoding: state.parse.encoding || "utf-8",
    header: state.parse.header,
    skip_rows: Number.isFinite(state.parse.skipRows) && state.parse.skipRows > 0 ? Math.floor(state.parse.skipRows) : 0,
  };
  if (state.parse.format) settings.format = state.parse.format;
  if (state.parse.delimiter) settings.delimiter = state.parse.delimiter;
  return settings;
}

/** The user's schema changes for the columns the current settings produce (unchanged columns are left out). */
export function columnOverrides(state: WizardState, inferred: { name: string }[] | undefined): ColumnOverride[] {
  if (!inferred) return [];
  const names = new Set(inferred.map((c) => c.name));
  return Object.entries(state.overrides)
    .filter(([name, change]) => names.has(name) && (change.type !== undefined || change.include === false))
    .map(([name, change]) => ({
      name,
      ...(change.type !== undefined ? { type: change.type } : {}),
      ...(change.include === false ? { include: false } : {}),
    }));
}

export function previewRequest(
  state: WizardState,
  datastores: Datastore[] | undefined,
  columns: ColumnOverride[] = [],
): DataSourcePreview | null {
  const source = sourceFields(state, datastores);
  if (!source) return null;
  return { ...source, parse: parseSettings(state), columns, rows: 20 };
}

export function createRequest(
  state: WizardState,
  datastores: Datastore[] | undefined,
  inferred: { name: string }[] | undefined,
): DataAssetCreate | null {
  const source = sourceFields(state, datastores);
  if (!source || !state.name.trim()) return null;
  const tabular = state.type === "mltable";
  return {
    name: state.name.trim(),
    type: state.type,
    ...(state.description.trim() ? { description: state.description.trim() } : {}),
    ...source,
    ...(tabular ? { parse: parseSettings(state), columns: columnOverrides(state, inferred) } : {}),
    profile: tabular && state.profile,
  };
}

/** A legal asset name suggested from a file name: `HR-Employee-Attrition.csv` -> `HR-Employee-Attrition`. */
export function nameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.[^.]+$/, "");
  return stem.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 255);
}
