// Responsible AI analyses of a model version: explanations, fairness assessments, error analyses.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import type { Job } from "./jobs";
import { modelKeys, modelPath, type Model } from "./models";

export type ModelAnalysis = Schemas["ModelAnalysis"];
export type Explanation = Schemas["Explanation"];
export type FairnessReport = Schemas["FairnessReport"];
export type ErrorAnalysis = Schemas["ErrorAnalysis"];
export type GroupMetrics = Schemas["GroupMetrics"];
export type ErrorNode = Schemas["ErrorNode"];
export type Disparities = Schemas["Disparities"];
export type ThresholdPoint = Schemas["ThresholdPoint"];
export type SensitiveFeatureReport = Schemas["SensitiveFeatureReport"];
export type FairnessMitigation = Schemas["FairnessMitigation"];
export type MitigationRequest = Schemas["MitigationRequest"];

/** The path segment of each kind under a model version (the server's `ROUTES`). */
export const ANALYSIS_ROUTES = { explanation: "explanations", fairness: "fairness", error_analysis: "error-analyses", mitigation: "mitigations" } as const;
export type AnalysisKind = keyof typeof ANALYSIS_ROUTES;

/** A model version by name and version: `Model` records, or the parts of a `name:version` reference. */
export type ModelVersionRef = Pick<Model, "name" | "version">;

const analysisPath = (model: ModelVersionRef, kind: AnalysisKind) => `${modelPath(model.name, model.version)}/${ANALYSIS_ROUTES[kind]}`;
const analysesKey = (model: ModelVersionRef, kind: AnalysisKind) => [...modelKeys.all, "analyses", model.name, model.version, kind];

/** The version's analyses of one kind, newest first; polled while one is still running. */
export function useAnalyses(model: ModelVersionRef, kind: AnalysisKind) {
  return useQuery({
    queryKey: analysesKey(model, kind),
    queryFn: () => api.get<ModelAnalysis[]>(analysisPath(model, kind)),
    refetchInterval: (query) => (query.state.data?.some((a) => !["Completed", "Failed", "Canceled"].includes(a.status)) ? 2000 : false),
  });
}

/** One completed analysis's result. */
export function useAnalysisResult<T>(model: ModelVersionRef, kind: AnalysisKind, job: string | undefined) {
  return useQuery({
    queryKey: [...modelKeys.all, "analysis", model.name, model.version, kind, job],
    queryFn: () => api.get<T>(`${analysisPath(model, kind)}/${encodeURIComponent(job ?? "")}`),
    enabled: job !== undefined,
    staleTime: Infinity, // a completed result never changes
  });
}

/** Queue a mitigation job (fairlearn's ThresholdOptimizer) of the version; it registers the mitigated model. */
export function useMitigate(model: ModelVersionRef) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: MitigationRequest) => api.post<Job>(analysisPath(model, "mitigation"), request),
    onSuccess: () => client.invalidateQueries({ queryKey: analysesKey(model, "mitigation") }),
  });
}

/** `attrition:3` as a name and a version. */
export function parseModelRef(ref: string): ModelVersionRef {
  const colon = ref.lastIndexOf(":");
  return { name: ref.slice(0, colon), version: Number(ref.slice(colon + 1)) };
}
