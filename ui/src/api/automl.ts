// Automated ML: the options a job may choose, AutoML runs and trials, their logged chart data, and deploying a trial's model.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Explanation } from "./analyses";
import { ApiError, api, segment, type Schemas } from "./client";
import { endpointKeys, endpointPath, type OnlineDeployment, type OnlineEndpoint } from "./endpoints";
import { LIST_POLL_MS, isTerminal, jobKeys, jobPath, type Job } from "./jobs";
import { modelKeys, type Model } from "./models";

export type Task = "classification" | "regression";
export type AuthMode = Schemas["OnlineEndpointCreate"]["auth_mode"];

export type TaskOptions = Schemas["TaskOptions"];
export type AutoMLOptions = Schemas["AutoMLOptions"];

/** What an AutoML parent job records in its properties while it runs and when it ends (spec/automl_progress.py). */
export type AutoMLProperties = Schemas["AutoMLProgress"];
export type Guardrail = Schemas["Guardrail"];
export type FeaturizationRow = Schemas["FeaturizationRow"];
export type LeaderboardRow = Schemas["LeaderboardRow"];
export type TrialExplanation = Schemas["TrialExplanation"];

export const automlKeys = {
  all: ["automl"] as const,
  options: () => [...automlKeys.all, "options"] as const,
  runs: () => [...automlKeys.all, "runs"] as const,
  charts: (trial: string) => [...automlKeys.all, "charts", trial] as const,
  explanation: (trial: string) => [...automlKeys.all, "explanation", trial] as const,
};

export const automlProperties = (job: Job) => (job.properties ?? {}) as AutoMLProperties;

export function useAutoMLOptions() {
  return useQuery({ queryKey: automlKeys.options(), queryFn: () => api.get<AutoMLOptions>("/api/automl/options"), staleTime: Infinity });
}

/** The AutoML parent jobs among the newest 1,000 top-level jobs, newest first. */
export function useAutoMLRuns() {
  return useQuery({
    queryKey: automlKeys.runs(),
    queryFn: async () => (await api.get<Job[]>("/api/jobs?limit=1000")).filter((job) => job.type === "automl"),
    refetchInterval: LIST_POLL_MS,
  });
}

/** Submit an AutoML job document (the same shape as the CLI's automl.yml). */
export function useSubmitAutoML() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (document: Record<string, unknown>) => api.post<Job>("/api/jobs", document),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: automlKeys.runs() }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}

const explanationPath = (trial: string) => `${jobPath(trial)}/explanation`;

/** A trial's newest explanation job and its status (`null`: never explained); polled while it runs. */
export function useTrialExplanation(trial: string) {
  return useQuery({
    queryKey: automlKeys.explanation(trial),
    queryFn: async () => {
      try {
        return await api.get<TrialExplanation>(explanationPath(trial));
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: (query) => (query.state.data && !isTerminal(query.state.data.status) ? 2000 : false),
  });
}

/** The explanation a trial's completed explanation job stored (the same shape as a model version's). */
export function useTrialExplanationResult(trial: string, job: string | undefined) {
  return useQuery({
    queryKey: [...automlKeys.explanation(trial), "result", job],
    queryFn: () => api.get<Explanation>(`${explanationPath(trial)}/result`),
    enabled: job !== undefined,
    staleTime: Infinity, // a completed explanation never changes
  });
}

/** Queue the job that explains a trial's model (the server refits it first when the trial kept none). */
export function useExplainTrial(trial: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Job>(explanationPath(trial)),
    onSuccess: () => client.invalidateQueries({ queryKey: automlKeys.explanation(trial) }),
  });
}

/** A trial's `charts.json` run artifact (shape: automl/_charts.py); it exists once the trial has been scored. */
export function useTrialCharts(trial: string, enabled: boolean) {
  return useQuery({
    queryKey: automlKeys.charts(trial),
    queryFn: () => api.get<unknown>(`${jobPath(trial)}/artifacts/charts.json`),
    enabled,
    staleTime: Infinity,
  });
}

// ---- deploying a trial's model: register it, create the endpoint, deploy with all traffic, wait until it serves ----

/**
 * What is deployed: an AutoML trial's model (`modelUri` is `runs:/<run>/model` when it is logged already, as the best
 * trial's is; otherwise the trial is refit first), or a real-time Designer inference draft registered as one model.
 */
export type ModelSource = { trial: string; modelUri: string | null } | { draft: string };
export type DeployRequest = {
  source: ModelSource;
  modelName: string;
  endpointName: string;
  authMode: AuthMode;
  instanceCount: number;
};
export type DeployStep = "refit" | "model" | "endpoint" | "deployment" | "ready";
export type DeployProgress = { step: DeployStep; detail: string; model?: Model; endpoint?: OnlineEndpoint };

export const DEPLOYMENT_NAME = "default";
const POLL_MS = 1000;
const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));

/** The trial's model: POST /api/jobs/{name}/refit answers the job that holds or makes it; wait for its `model_uri`. */
async function refitModel(trial: string, report: (detail: string) => void): Promise<string> {
  let job = await api.post<Job>(`${jobPath(trial)}/refit`);
  while (!isTerminal(job.status)) {
    report(`refit job ${job.name}: ${job.status}`);
    await pause();
    job = await api.get<Job>(jobPath(job.name));
  }
  const uri = job.properties?.model_uri;
  if (job.status !== "Completed" || typeof uri !== "string")
    throw new ApiError(409, "RefitFailed", job.error ?? `refit job ${job.name} ended ${job.status} without a model`);
  return uri;
}

/** Refuse an endpoint name that is taken before anything is created. */
async function checkEndpointFree(name: string): Promise<void> {
  try {
    await api.get<OnlineEndpoint>(endpointPath(name));
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return;
    throw error;
  }
  throw new ApiError(409, "Conflict", `endpoint '${name}' exists already; choose another endpoint name`);
}

async function registerModel(source: ModelSource, name: string, report: (progress: DeployProgress) => void): Promise<Model> {
  if ("draft" in source) {
    report({ step: "model", detail: `registering ${name} from the inference pipeline ${source.draft}` });
    return api.post<Model>(`/api/designer-drafts/${segment(source.draft)}/models`, { model_name: name });
  }
  let uri = source.modelUri;
  if (!uri) {
    report({ step: "refit", detail: "refitting the trial's model on all training rows" });
    uri = await refitModel(source.trial, (detail) => report({ step: "refit", detail }));
  }
  report({ step: "model", detail: `registering ${name} from ${uri}` });
  return api.post<Model>("/api/models", { name, path: uri });
}

async function deploy(request: DeployRequest, report: (progress: DeployProgress) => void): Promise<DeployProgress> {
  await checkEndpointFree(request.endpointName);
  const model = await registerModel(request.source, request.modelName, report);
  report({ step: "endpoint", detail: `creating endpoint ${request.endpointName}`, model });
  await api.post<OnlineEndpoint>("/api/online-endpoints", { name: request.endpointName, auth_mode: request.authMode });
  try {
    return await deployTo(request, model, report);
  } catch (error) {
    // an endpoint that serves nothing is left behind by no one: remove it, keep the registered model
    await api.delete<void>(endpointPath(request.endpointName)).catch(() => undefined);
    throw error;
  }
}

async function deployTo(request: DeployRequest, model: Model, report: (progress: DeployProgress) => void): Promise<DeployProgress> {
  report({ step: "deployment", detail: `deploying ${model.name}:${model.version}`, model });
  await api.post<OnlineDeployment>(`${endpointPath(request.endpointName)}/deployments`, {
    name: DEPLOYMENT_NAME,
    endpoint_name: request.endpointName,
    model: `${model.name}:${model.version}`,
    instance_count: request.instanceCount,
  });
  await api.patch<OnlineEndpoint>(endpointPath(request.endpointName), { traffic: { [DEPLOYMENT_NAME]: 100 } });
  for (;;) {
    const deployment = await api.get<OnlineDeployment>(`${endpointPath(request.endpointName)}/deployments/${segment(DEPLOYMENT_NAME)}`);
    if (deployment.state === "Succeeded") break;
    if (deployment.state === "Failed") throw new ApiError(409, "DeploymentFailed", deployment.error ?? "the deployment failed to start");
    report({ step: "deployment", detail: `deployment ${DEPLOYMENT_NAME}: ${deployment.state}`, model });
    await pause();
  }
  const endpoint = await api.get<OnlineEndpoint>(endpointPath(request.endpointName));
  return { step: "ready", detail: `${request.endpointName} serves ${model.name}:${model.version}`, model, endpoint };
}

/** Run the whole deployment; `progress` says which step it is on (and where it stopped when it fails). */
export function useDeployModel(onProgress: (progress: DeployProgress) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (request: DeployRequest) => deploy(request, onProgress),
    onSuccess: (progress) => onProgress(progress),
    onSettled: () =>
      Promise.all([client.invalidateQueries({ queryKey: modelKeys.all }), client.invalidateQueries({ queryKey: endpointKeys.all }), client.invalidateQueries({ queryKey: jobKeys.all })]),
  });
}
