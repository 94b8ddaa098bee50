// Cohorts of a model version: saved filters, and the version's metrics on each beside the whole data.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";
import type { ModelVersionRef } from "./analyses";
import { modelKeys, modelPath } from "./models";

export type Cohort = Schemas["Cohort"];
export type CohortCreate = Schemas["CohortCreate"];
export type CohortFilter = Schemas["CohortFilter"];
export type CohortComparison = Schemas["CohortComparison"];
export type CohortMetrics = Schemas["CohortMetrics"];

const cohortsPath = (model: ModelVersionRef) => `${modelPath(model.name, model.version)}/cohorts`;
const cohortKeys = {
  all: (model: ModelVersionRef) => [...modelKeys.all, "cohorts", model.name, model.version] as const,
  comparison: (model: ModelVersionRef, data: string, target: string | null) => [...cohortKeys.all(model), "comparison", data, target] as const,
};

export function useCohorts(model: ModelVersionRef) {
  return useQuery({ queryKey: cohortKeys.all(model), queryFn: () => api.get<Cohort[]>(cohortsPath(model)) });
}

/** The version's metrics on every saved cohort of `data` and on all of it (computed by the server on request). */
export function useCohortComparison(model: ModelVersionRef, data: string, target: string | null, enabled: boolean) {
  return useQuery({
    queryKey: cohortKeys.comparison(model, data, target),
    queryFn: () => api.post<CohortComparison>(`${modelPath(model.name, model.version)}/cohort-metrics`, { data, target }),
    enabled,
    retry: false,
  });
}

export function useCreateCohort(model: ModelVersionRef) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (cohort: CohortCreate) => api.post<Cohort>(cohortsPath(model), cohort),
    onSuccess: () => client.invalidateQueries({ queryKey: cohortKeys.all(model) }),
  });
}

export function useDeleteCohort(model: ModelVersionRef) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.delete<void>(`${cohortsPath(model)}/${segment(name)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: cohortKeys.all(model) }),
  });
}
