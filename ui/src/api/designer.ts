// The Designer: built-in modules, drafts (saved, versioned graphs with their layout), validation, submit, port readback.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, downloadFile, segment, type Schemas } from "./client";
import type { DataProfile } from "./data";
import { isTerminal, jobPath, LIVE_POLL_MS, type Job } from "./jobs";

export type DesignerDraft = Schemas["DesignerDraft"];
export type DraftGraph = Schemas["DraftGraph"];
export type DraftNode = Schemas["DraftNode"];
export type DraftEdge = Schemas["DraftEdge"];
export type DraftValidation = Schemas["DraftValidation"];
export type GraphProblem = Schemas["GraphProblem"];
export type DraftSubmit = Schemas["DraftSubmit"];
export type Layout = DesignerDraft["layout"];
export type InferenceKind = Schemas["InferencePipelineCreate"]["kind"];

// A built-in module's spec travels as an untyped object in the OpenAPI document (Component.spec); its shape
// is modelyard.spec.designer.ModuleSpec:
export type PortType = "DataFrameDirectory" | "UntrainedModel" | "ModelDirectory" | "TransformationDirectory" | "EvaluationResult";
export type PortSpec = { name: string; display_name: string; type: PortType; optional?: boolean };
export type ParameterKind = "integer" | "number" | "boolean" | "string" | "enum" | "column" | "column_selection" | "script" | "range";
export type ParameterSpec = {
  name: string;
  display_name: string;
  kind: ParameterKind;
  default?: unknown;
  optional?: boolean;
  minimum?: number | null;
  maximum?: number | null;
  choices?: string[] | null;
  columns_of?: string | null;
  enabled_when?: Record<string, unknown[]> | null;
  description?: string | null;
};
export type ModuleSpec = {
  id: string;
  display_name: string;
  category: string;
  description: string;
  inputs: PortSpec[];
  outputs: PortSpec[];
  parameters: ParameterSpec[];
};
/** A page of a dataset port (`value` for the other port types). */
export type PortPage = {
  type: PortType;
  columns?: { name: string; type: string }[];
  rows?: unknown[][];
  total?: number;
  offset?: number;
  value?: unknown;
};

export const DATASET_MODULE = "dataset";
const DRAFTS = "/api/designer-drafts";
export const draftPath = (name: string) => `${DRAFTS}/${segment(name)}`;

export const designerKeys = {
  all: ["designer"] as const,
  modules: () => [...designerKeys.all, "modules"] as const,
  drafts: () => [...designerKeys.all, "drafts"] as const,
  draft: (name: string) => [...designerKeys.all, "draft", name] as const,
  validation: (graph: DraftGraph) => [...designerKeys.all, "validation", graph] as const,
  run: (job: string) => [...designerKeys.all, "run", job] as const,
  runs: (name: string) => [...designerKeys.all, "runs", name] as const,
  port: (job: string, port: string, offset: number) => [...designerKeys.all, "port", job, port, offset] as const,
  portProfile: (job: string, port: string) => [...designerKeys.all, "port-profile", job, port] as const,
};

/** The built-in modules, by id. */
export function useModules() {
  return useQuery({
    queryKey: designerKeys.modules(),
    queryFn: async () => {
      const components = await api.get<Schemas["Component"][]>("/api/components?builtin=true");
      return new Map(components.map((c) => [c.name, c.spec as unknown as ModuleSpec]));
    },
    staleTime: Infinity,
  });
}

/** The latest version of every draft. */
export function useDrafts() {
  return useQuery({ queryKey: designerKeys.drafts(), queryFn: () => api.get<DesignerDraft[]>(DRAFTS) });
}

/** A draft's latest version, read once: from then on the canvas owns the graph and saves it. */
export function useDraft(name: string) {
  return useQuery({ queryKey: designerKeys.draft(name), queryFn: () => api.get<DesignerDraft>(draftPath(name)), staleTime: Infinity });
}

/** One saved version of a draft (a run's graph as it was submitted); versions never change. */
export function useDraftVersion(name: string, version: number) {
  return useQuery({
    queryKey: [...designerKeys.draft(name), version],
    queryFn: () => api.get<DesignerDraft>(`${draftPath(name)}/versions/${version}`),
    staleTime: Infinity,
  });
}

/** The server's graph rules over the graph as edited (problems by node, columns flowing into each input). */
export function useValidation(graph: DraftGraph) {
  return useQuery({
    queryKey: designerKeys.validation(graph),
    queryFn: () => api.post<DraftValidation>(`${DRAFTS}/validate`, graph),
    placeholderData: keepPreviousData,
  });
}

/** Save the graph as version `version` of the draft (a version that exists already answers 409: saved elsewhere). */
export const saveDraft = (name: string, version: number, graph: DraftGraph, layout: Layout) =>
  api.post<DesignerDraft>(DRAFTS, { name, version, graph, layout, allow_problems: true });

function useDraftsMutation<A, R>(call: (argument: A) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: () => client.invalidateQueries({ queryKey: designerKeys.drafts() }) });
}

export const useCreateDraft = () => useDraftsMutation((name: string) => saveDraft(name, 1, { nodes: [], edges: [] }, {}));
export const useRenameDraft = () =>
  useDraftsMutation(({ name, to }: { name: string; to: string }) => api.patch<DesignerDraft>(draftPath(name), { name: to }));
export const useCloneDraft = () =>
  useDraftsMutation(({ draft, to }: { draft: DesignerDraft; to: string }) => saveDraft(to, 1, draft.graph, draft.layout));
export const useDeleteDraft = () => useDraftsMutation((name: string) => api.delete<void>(draftPath(name)));

/** Azure's "import pipeline": a pipeline YAML file's text (as `designer export` writes it) saved as version 1 of draft `name`;
 * the server parses it and applies the graph rules. */
export const useImportDraft = () =>
  useDraftsMutation(({ name, yaml }: { name: string; yaml: string }) => api.post<DesignerDraft>(`${DRAFTS}/import`, { name, document: yaml } satisfies Schemas["DraftImport"]));

/** Download version `version` of the draft as the pipeline YAML file `modelyard job create -f` runs. */
export const exportDraftYaml = (name: string, version: number) =>
  downloadFile(`${draftPath(name)}/pipeline-document?version=${version}&format=yaml`, `${name}.yml`);

export const submitDraft = (name: string, request: DraftSubmit) => api.post<Job>(`${draftPath(name)}/jobs`, request);

/** One page of an output port of a Designer step job. */
export function usePortPage(job: string, port: string, offset: number, limit: number) {
  return useQuery({
    queryKey: designerKeys.port(job, port, offset),
    queryFn: () => api.get<PortPage>(`/api/jobs/${segment(job)}/designer-ports/${segment(port)}?offset=${offset}&limit=${limit}`),
    placeholderData: keepPreviousData,
  });
}

/** The column profile (per-column statistics) of a dataset port of a Designer step job. */
export function usePortProfile(job: string, port: string) {
  return useQuery({
    queryKey: designerKeys.portProfile(job, port),
    queryFn: () => api.get<DataProfile>(`/api/jobs/${segment(job)}/designer-ports/${segment(port)}/profile`),
    staleTime: Infinity, // a finished step's output does not change
  });
}

/** A submitted draft's pipeline job and its step jobs (`step` is the node id), polled until the run ends. */
export function useRun(job: string | null) {
  return useQuery({
    queryKey: designerKeys.run(job ?? ""),
    queryFn: async () => {
      const [pipeline, steps] = await Promise.all([api.get<Job>(jobPath(job!)), api.get<Job[]>(`${jobPath(job!)}/children`)]);
      return { pipeline, steps };
    },
    enabled: job !== null,
    refetchInterval: (query) => (query.state.data && isTerminal(query.state.data.pipeline.status) ? false : LIVE_POLL_MS),
  });
}

/** The pipeline jobs that ran any version of the draft, newest first; polled while one of them runs. */
export function useDraftRuns(name: string) {
  return useQuery({
    queryKey: designerKeys.runs(name),
    queryFn: () => api.get<Job[]>(`${draftPath(name)}/jobs`),
    refetchInterval: (query) => (query.state.data?.some((job) => !isTerminal(job.status)) ? LIVE_POLL_MS : false),
  });
}

/** The draft version a Designer run ran (its `designer_draft` tag, `name:version`). */
export function ranDraft(job: Job): { name: string; version: number } | null {
  const tag = (job.tags as Record<string, unknown> | undefined)?.designer_draft;
  if (typeof tag !== "string") return null;
  const at = tag.lastIndexOf(":");
  return { name: tag.slice(0, at), version: Number(tag.slice(at + 1)) };
}

/** Azure's "Create inference pipeline" from a completed training run: the new draft. */
export function useCreateInferencePipeline() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ job, kind }: { job: string; kind: InferenceKind }) => api.post<DesignerDraft>(`${DRAFTS}/inference`, { job, kind }),
    onSuccess: (draft) => {
      client.removeQueries({ queryKey: designerKeys.draft(draft.name) }); // a draft that existed got a new version
      return client.invalidateQueries({ queryKey: designerKeys.drafts() });
    },
  });
}

/** A copy of the draft version that a run ran, saved as version 1 of draft `to`. */
export async function cloneRun(job: Job, to: string): Promise<DesignerDraft> {
  const ran = ranDraft(job);
  if (!ran) throw new Error(`job ${job.name} ran no Designer draft`);
  const draft = await api.get<DesignerDraft>(`${draftPath(ran.name)}/versions/${ran.version}`);
  return saveDraft(to, 1, draft.graph, draft.layout);
}
