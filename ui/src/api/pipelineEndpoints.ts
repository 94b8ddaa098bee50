// Pipeline endpoints: a published Designer draft behind a key-authenticated REST route that starts runs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorOf, segment, type Schemas } from "./client";
import type { Job } from "./jobs";

export type PipelineEndpoint = Schemas["PipelineEndpoint"];
export type PipelineEndpointVersionCreate = Schemas["PipelineEndpointVersionCreate"];
export type PipelineRunRequest = Schemas["PipelineRunRequest"];

const ENDPOINTS = "/api/pipeline-endpoints";
export const pipelineEndpointKeys = { all: ["pipeline-endpoints"] as const };

export function usePipelineEndpoints() {
  return useQuery({ queryKey: pipelineEndpointKeys.all, queryFn: () => api.get<PipelineEndpoint[]>(ENDPOINTS) });
}

export type Publish = { endpoint: string; asNewVersion: boolean } & PipelineEndpointVersionCreate;

/** Publish a draft version: a new pipeline endpoint, or a new (default) version of an existing one. */
export function usePublishDraft() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ endpoint, asNewVersion, ...version }: Publish) =>
      asNewVersion
        ? api.post<PipelineEndpoint>(`${ENDPOINTS}/${segment(endpoint)}/versions`, version)
        : api.post<PipelineEndpoint>(ENDPOINTS, { name: endpoint, ...version }),
    onSuccess: () => client.invalidateQueries({ queryKey: pipelineEndpointKeys.all }),
  });
}

/** Start a run of the endpoint as a client would: with its primary key (read with the workspace's access) and parameter values. */
export function useRunPipelineEndpoint() {
  return useMutation({
    mutationFn: async ({ endpoint, ...run }: { endpoint: string } & PipelineRunRequest) => {
      const path = `${ENDPOINTS}/${segment(endpoint)}`;
      const keys = await api.post<Schemas["EndpointKeys"]>(`${path}/credentials`);
      const response = await fetch(`${path}/runs`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${keys.primary_key}` },
        body: JSON.stringify(run),
      });
      if (!response.ok) throw await errorOf(response);
      return (await response.json()) as Job;
    },
  });
}
