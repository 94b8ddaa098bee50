// Registered models: query keys, queries and mutations.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, filePath, segment, type Schemas } from "./client";

export type Model = Schemas["Model"];
export type ModelUpdate = Schemas["ModelUpdate"];
export type OnlineDeployment = Schemas["OnlineDeployment"];

// listModelFiles answers untyped JSON in the OpenAPI document; its entries are:
export type ModelFile = { name: string; sha256: string; size: number };

/** A version slot: a number, `latest` or an alias. */
export const modelPath = (name: string, version: number | string) =>
  `/api/models/${segment(name)}/versions/${segment(String(version))}`;

export const modelFileUrl = (model: Model, file: string) =>
  `${modelPath(model.name, model.version)}/files/${filePath(file)}`;

export const modelKeys = {
  all: ["models"] as const,
  latest: () => [...modelKeys.all, "latest"] as const,
  versions: (name: string) => [...modelKeys.all, "versions", name] as const,
  model: (name: string, version: string) => [...modelKeys.all, "model", name, version] as const,
  files: (name: string, version: number) => [...modelKeys.all, "files", name, version] as const,
  deployments: (name: string, version: number) => [...modelKeys.all, "deployments", name, version] as const,
  inputExample: (name: string, version: number) => [...modelKeys.all, "input-example", name, version] as const,
};

/** The latest version of every model that is not archived. */
export function useModels() {
  return useQuery({ queryKey: modelKeys.latest(), queryFn: () => api.get<Model[]>("/api/models") });
}

/** Every version of one model, archived ones included, newest first. */
export function useModelVersions(name: string) {
  return useQuery({
    queryKey: modelKeys.versions(name),
    queryFn: () => api.get<Model[]>(`/api/models?name=${segment(name)}&include_archived=true`),
  });
}

export function useModel(name: string, version: string, enabled = true) {
  return useQuery({
    queryKey: modelKeys.model(name, version),
    queryFn: () => api.get<Model>(modelPath(name, version)),
    enabled,
  });
}

export function useModelFiles(model: Model) {
  return useQuery({
    queryKey: modelKeys.files(model.name, model.version),
    queryFn: () => api.get<ModelFile[]>(`${modelPath(model.name, model.version)}/files`),
  });
}

/** The online deployments serving this version: the end of its lineage. */
export function useModelDeployments(model: Model) {
  return useQuery({
    queryKey: modelKeys.deployments(model.name, model.version),
    queryFn: () => api.get<OnlineDeployment[]>(`${modelPath(model.name, model.version)}/deployments`),
  });
}

/** MLflow's `input_example.json` of the version, when it has one. */
export function useModelInputExample(model: Model, file: string | undefined) {
  return useQuery({
    queryKey: modelKeys.inputExample(model.name, model.version),
    queryFn: async () => JSON.parse(await api.get<string>(modelFileUrl(model, file ?? ""))) as unknown,
    enabled: file !== undefined,
  });
}

export function useUpdateModel(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ version, change }: { version: number; change: ModelUpdate }) =>
      api.patch<Model>(modelPath(name, version), change),
    onSuccess: () => client.invalidateQueries({ queryKey: modelKeys.all }),
  });
}
