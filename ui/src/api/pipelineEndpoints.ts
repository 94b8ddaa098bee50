// Pipeline endpoints: a published Designer draft behind a key-authenticated REST route that starts runs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";

export type PipelineEndpoint = Schemas["PipelineEndpoint"];
export type PipelineEndpointVersionCreate = Schemas["PipelineEndpointVersionCreate"];

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
