// Compute targets: local, clusters (instance pools), Ray clusters and notebook instances (JupyterLab); polled so instance counts stay live.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";

export type Compute = Schemas["Compute"];
export type ClusterComputeCreate = Schemas["ClusterComputeCreate"];
export type RayComputeCreate = Schemas["RayComputeCreate"];
export type InstanceComputeCreate = Schemas["InstanceComputeCreate"];
export type ComputeCreate = ClusterComputeCreate | RayComputeCreate | InstanceComputeCreate;

export const COMPUTE_POLL_MS = 3000;

export const computeKeys = {
  all: ["compute"] as const,
  list: () => [...computeKeys.all, "list"] as const,
};

export function useComputes() {
  return useQuery({
    queryKey: computeKeys.list(),
    queryFn: () => api.get<Compute[]>("/api/compute"),
    refetchInterval: COMPUTE_POLL_MS,
  });
}

function useComputeMutation<A>(call: (argument: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => client.invalidateQueries({ queryKey: computeKeys.all }) });
}

export const useCreateCompute = () => useComputeMutation((spec: ComputeCreate) => api.post<Compute>("/api/compute", spec));
export const useDeleteCompute = () => useComputeMutation((name: string) => api.delete<void>(`/api/compute/${segment(name)}`));
export const useSetComputeRunning = () =>
  useComputeMutation(({ name, running }: { name: string; running: boolean }) =>
    api.post<Compute>(`/api/compute/${segment(name)}/${running ? "start" : "stop"}`),
  );
