// Data assets (datasets): query keys, queries and mutations.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, filePath, segment, type Schemas } from "./client";

export type DataAsset = Schemas["DataAsset"];
export type DataAssetCreate = Schemas["DataAssetCreate"];
export type DataProfile = Schemas["DataProfile"];
export type ColumnProfile = Schemas["ColumnProfile"];
export type ColumnSchema = Schemas["ColumnSchema"];
export type ColumnOverride = Schemas["ColumnOverride"];
export type ColumnType = ColumnSchema["type"];
export type ParseSettings = Schemas["ParseSettings"];
export type HeaderMode = NonNullable<ParseSettings["header"]>;
export type DataSourcePreview = Schemas["DataSourcePreview"];
export type CollectedData = Schemas["CollectedData"];

// These three routes answer untyped JSON objects in the OpenAPI document; their shapes are:
export type SourcePreview = { columns: ColumnSchema[]; rows: unknown[][] };
export type AssetPreview = { columns: { name: string; type: ColumnType }[]; rows: unknown[][] };
export type DataFile = { name: string; sha256: string; size: number; uri: string };

export const COLUMN_TYPES: ColumnType[] = ["string", "integer", "decimal", "boolean", "datetime"];
export const HEADER_MODES: { value: HeaderMode; label: string }[] = [
  { value: "all_files_same_headers", label: "All files have the same headers" },
  { value: "only_first_file_has_headers", label: "Only the first file has headers" },
  { value: "no_headers", label: "No headers" },
];

export const versionPath = (name: string, version: number | string) =>
  `/api/data/${segment(name)}/versions/${segment(String(version))}`;

export const dataFileUrl = (asset: DataAsset, file: string) => `${versionPath(asset.name, asset.version)}/files/${filePath(file)}`;

export const dataKeys = {
  all: ["data"] as const,
  latest: () => [...dataKeys.all, "latest"] as const,
  versions: (name: string) => [...dataKeys.all, "versions", name] as const,
  asset: (name: string, version: string) => [...dataKeys.all, "asset", name, version] as const,
  profile: (name: string, version: string) => [...dataKeys.all, "profile", name, version] as const,
  preview: (name: string, version: string, rows: number) => [...dataKeys.all, "preview", name, version, rows] as const,
  files: (name: string, version: string) => [...dataKeys.all, "files", name, version] as const,
  source: (request: DataSourcePreview) => [...dataKeys.all, "source-preview", request] as const,
  collected: () => [...dataKeys.all, "collected"] as const,
};

/** The latest version of every asset that is not archived. */
export function useDataAssets() {
  return useQuery({ queryKey: dataKeys.latest(), queryFn: () => api.get<DataAsset[]>("/api/data") });
}

/** What online deployments collected (model inputs and outputs): rows and time range per collection. */
export function useCollectedData() {
  return useQuery({ queryKey: dataKeys.collected(), queryFn: () => api.get<CollectedData[]>("/api/data/collected") });
}

/** Every version of one asset, archived ones included, newest first. */
export function useDataVersions(name: string) {
  return useQuery({
    queryKey: dataKeys.versions(name),
    queryFn: async () => {
      const versions = await api.get<DataAsset[]>(`/api/data?name=${segment(name)}&include_archived=true`);
      return [...versions].sort((a, b) => b.version - a.version);
    },
  });
}

export function useDataAsset(name: string, version: string) {
  return useQuery({ queryKey: dataKeys.asset(name, version), queryFn: () => api.get<DataAsset>(versionPath(name, version)) });
}

export function useDataProfile(name: string, version: string, enabled = true) {
  return useQuery({
    queryKey: dataKeys.profile(name, version),
    queryFn: () => api.get<DataProfile>(`${versionPath(name, version)}/profile`),
    enabled,
  });
}

export function useDataPreview(name: string, version: string, rows: number) {
  return useQuery({
    queryKey: dataKeys.preview(name, version, rows),
    queryFn: () => api.get<AssetPreview>(`${versionPath(name, version)}/preview?rows=${rows}`),
    placeholderData: keepPreviousData,
  });
}

export function useDataFiles(name: string, version: string) {
  return useQuery({
    queryKey: dataKeys.files(name, version),
    queryFn: () => api.get<DataFile[]>(`${versionPath(name, version)}/files`),
  });
}

/** The wizard's live preview of a source that is not registered yet; refetches whenever the request changes. */
export function useSourcePreview(request: DataSourcePreview | null) {
  return useQuery({
    queryKey: dataKeys.source(request ?? {}),
    queryFn: () => api.post<SourcePreview>("/api/data/preview", request),
    enabled: request !== null,
    placeholderData: keepPreviousData,
    retry: false,
    staleTime: 60_000,
  });
}

/** Store a local file on the server (POST /api/uploads); resolves to its server-side path. */
export function useUploadFile() {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file, file.name);
      return api.post<{ path: string }>("/api/uploads", form);
    },
  });
}

export function useCreateDataAsset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (spec: DataAssetCreate) => api.post<DataAsset>("/api/data", spec),
    onSuccess: () => client.invalidateQueries({ queryKey: dataKeys.all }),
  });
}

export function useSetArchived(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ version, archived }: { version: number; archived: boolean }) =>
      api.patch<DataAsset>(versionPath(name, version), { archived }),
    onSuccess: () => client.invalidateQueries({ queryKey: dataKeys.all }),
  });
}

export function useComputeProfile(name: string, version: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<DataProfile>(`${versionPath(name, version)}/profile`),
    onSuccess: (profile) => {
      client.setQueryData(dataKeys.profile(name, version), profile);
      return client.invalidateQueries({ queryKey: dataKeys.all });
    },
  });
}
