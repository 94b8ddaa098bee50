// Responsible AI analyses of a model version: explanations, fairness assessments, error analyses.
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { modelKeys, modelPath, type Model } from "./models";

export type ModelAnalysis = Schemas["ModelAnalysis"];
export type Explanation = Schemas["Explanation"];
export type FairnessReport = Schemas["FairnessReport"];
export type ErrorAnalysis = Schemas["ErrorAnalysis"];
export type GroupMetrics = Schemas["GroupMetrics"];
export type ErrorNode = Schemas["ErrorNode"];

/** The path segment of each kind under a model version (the server's `ROUTES`). */
export const ANALYSIS_ROUTES = { explanation: "explanations", fairness: "fairness", error_analysis: "error-analyses" } as const;
export type AnalysisKind = keyof typeof ANALYSIS_ROUTES;

const analysisPath = (model: Model, kind: AnalysisKind) => `${modelPath(model.name, model.version)}/${ANALYSIS_ROUTES[kind]}`;

/** The version's analyses of one kind, newest first; polled while one is still running. */
export function useAnalyses(model: Model, kind: AnalysisKind) {
  return useQuery({
    queryKey: [...modelKeys.all, "analyses", model.name, model.version, kind],
    queryFn: () => api.get<ModelAnalysis[]>(analysisPath(model, kind)),
    refetchInterval: (query) => (query.state.data?.some((a) => !["Completed", "Failed", "Canceled"].includes(a.status)) ? 2000 : false),
  });
}

/** One completed analysis's result. */
export function useAnalysisResult<T>(model: Model, kind: AnalysisKind, job: string | undefined) {
  return useQuery({
    queryKey: [...modelKeys.all, "analysis", model.name, model.version, kind, job],
    queryFn: () => api.get<T>(`${analysisPath(model, kind)}/${encodeURIComponent(job ?? "")}`),
    enabled: job !== undefined,
    staleTime: Infinity, // a completed result never changes
  });
}
