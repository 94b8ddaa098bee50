// Online endpoints and their deployments: query keys, queries and mutations, and the scoring route.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, segment, type Schemas } from "./client";
import { modelKeys } from "./models";

export type OnlineEndpoint = Schemas["OnlineEndpoint"];
export type OnlineEndpointUpdate = Schemas["OnlineEndpointUpdate"];
export type OnlineDeployment = Schemas["OnlineDeployment"];
export type EndpointKeys = Schemas["EndpointKeys"];

// getEndpointMetrics and getEndpointRequestLog answer untyped JSON in the OpenAPI document; their shapes are:
export type DeploymentMetrics = { requests: number; errors: number; p50_ms: number | null; p99_ms: number | null };
/** Keyed by `<endpoint>/<deployment>`: counts since the server started. */
export type EndpointMetrics = Record<string, DeploymentMetrics>;
export type RequestLogEntry = {
  time: number; // seconds since the epoch
  endpoint: string;
  deployment: string;
  status: number;
  latency_ms: number;
  input?: string;
  output?: string;
};

const POLL_MS = 3000;
const SETTLING = new Set(["Creating", "Updating", "Deleting"]);

export const endpointPath = (name: string) => `/api/online-endpoints/${segment(name)}`;
const deploymentPath = (name: string, deployment: string) => `${endpointPath(name)}/deployments/${segment(deployment)}`;

export const endpointKeys = {
  all: ["online-endpoints"] as const,
  list: () => [...endpointKeys.all, "list"] as const,
  endpoint: (name: string) => [...endpointKeys.all, "endpoint", name] as const,
  credentials: (name: string) => [...endpointKeys.all, "credentials", name] as const,
  metrics: (name: string) => [...endpointKeys.all, "metrics", name] as const,
  requests: (name: string) => [...endpointKeys.all, "requests", name] as const,
  logs: (name: string, deployment: string, lines: number) => [...endpointKeys.all, "logs", name, deployment, lines] as const,
  swagger: (name: string, deployment: string) => [...endpointKeys.all, "swagger", name, deployment] as const,
};

const settling = (endpoint: OnlineEndpoint | undefined) =>
  endpoint?.deployments?.some((d) => SETTLING.has(d.state)) ?? false;

export function useEndpoints() {
  return useQuery({
    queryKey: endpointKeys.list(),
    queryFn: () => api.get<OnlineEndpoint[]>("/api/online-endpoints"),
    refetchInterval: (query) => ((query.state.data ?? []).some(settling) ? POLL_MS : false),
  });
}

/** One endpoint; polled while a deployment is being created, updated or deleted. */
export function useEndpoint(name: string) {
  return useQuery({
    queryKey: endpointKeys.endpoint(name),
    queryFn: () => api.get<OnlineEndpoint>(endpointPath(name)),
    refetchInterval: (query) => (settling(query.state.data) ? POLL_MS : false),
  });
}

function useInvalidateEndpoints() {
  const client = useQueryClient();
  return () => Promise.all([client.invalidateQueries({ queryKey: endpointKeys.all }), client.invalidateQueries({ queryKey: modelKeys.all })]);
}

export function useUpdateEndpoint(name: string) {
  const invalidate = useInvalidateEndpoints();
  return useMutation({
    mutationFn: (change: OnlineEndpointUpdate) => api.patch<OnlineEndpoint>(endpointPath(name), change),
    onSuccess: invalidate,
  });
}

export function useDeleteEndpoint(name: string) {
  const invalidate = useInvalidateEndpoints();
  return useMutation({ mutationFn: () => api.delete<void>(endpointPath(name)), onSuccess: invalidate });
}

export function useDeleteDeployment(name: string) {
  const invalidate = useInvalidateEndpoints();
  return useMutation({
    mutationFn: (deployment: string) => api.delete<void>(deploymentPath(name, deployment)),
    onSuccess: invalidate,
  });
}

/** The endpoint's keys (or token) in clear; the page masks them until asked. */
export function useCredentials(name: string) {
  return useQuery({
    queryKey: endpointKeys.credentials(name),
    queryFn: () => api.post<EndpointKeys>(`${endpointPath(name)}/credentials`),
    staleTime: Infinity,
  });
}

export function useRegenerateKey(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (keyType: "primary" | "secondary") =>
      api.post<EndpointKeys>(`${endpointPath(name)}/regenerate-keys?key_type=${keyType}`),
    onSuccess: (keys) => client.setQueryData(endpointKeys.credentials(name), keys),
  });
}

export function useEndpointMetrics(name: string) {
  return useQuery({
    queryKey: endpointKeys.metrics(name),
    queryFn: () => api.get<EndpointMetrics>(`${endpointPath(name)}/metrics`),
    refetchInterval: POLL_MS,
  });
}

/** The server's log of the endpoint's latest scoring requests (it keeps the last 2,000 of all endpoints). */
export function useRequestLog(name: string) {
  return useQuery({
    queryKey: endpointKeys.requests(name),
    queryFn: () => api.get<RequestLogEntry[]>(`${endpointPath(name)}/requests?limit=2000`),
    refetchInterval: POLL_MS,
  });
}

export function useDeploymentLogs(name: string, deployment: string, lines: number, live: boolean) {
  return useQuery({
    queryKey: endpointKeys.logs(name, deployment, lines),
    queryFn: () => api.get<string>(`${deploymentPath(name, deployment)}/logs?lines=${lines}`),
    enabled: deployment !== "",
    refetchInterval: live ? 2000 : false,
  });
}

/** Headers that reach one deployment of an endpoint through the scoring route, as a client would send them. */
export function scoringHeaders(secret: string | null | undefined, deployment: string): Record<string, string> {
  return {
    "Content-Type": "application/json",
    ...(secret ? { Authorization: `Bearer ${secret}` } : {}),
    ...(deployment ? { "azureml-model-deployment": deployment } : {}),
  };
}

/** The OpenAPI document the deployment's scoring process serves (from the model's signature and input example). */
export function useSwagger(endpoint: OnlineEndpoint, deployment: string, secret: string | null | undefined, enabled: boolean) {
  return useQuery({
    queryKey: endpointKeys.swagger(endpoint.name, deployment),
    queryFn: async () => {
      const response = await fetch(endpoint.swagger_uri, { headers: scoringHeaders(secret, deployment) });
      const text = await response.text();
      if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status}`, scoringError(text));
      return JSON.parse(text) as unknown;
    },
    enabled: enabled && deployment !== "",
    retry: false,
    staleTime: 60_000,
  });
}

export type ScoreReply = { status: number; ms: number; body: string };

/** POST a body to the scoring route; any answer (a 400 too) resolves with its status, body and latency. */
export function useScore(endpoint: OnlineEndpoint) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, secret, deployment }: { body: string; secret: string | null | undefined; deployment: string }): Promise<ScoreReply> => {
      const started = performance.now();
      const response = await fetch(endpoint.scoring_uri, { method: "POST", headers: scoringHeaders(secret, deployment), body });
      const text = await response.text();
      return { status: response.status, ms: performance.now() - started, body: text };
    },
    onSettled: () => client.invalidateQueries({ queryKey: endpointKeys.metrics(endpoint.name) }),
  });
}

/** The message of a scoring route error body (`{"error": ...}` from the scoring process, `{"detail": ...}` from the router). */
export function scoringError(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; detail?: unknown };
    const message = typeof body.detail === "string" ? body.detail : body.error;
    if (typeof message === "string") return message;
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}

/** A scored request's `explanation` (each row's contributions, largest first; see serving/_explain.py). */
export type RowExplanation = {
  method: string;
  model_output: string;
  view: string;
  outputs: { output: string; base_value: number; contributions: Record<string, number>[] }[];
};
export type ExplainedScore = { result: unknown; explanation: RowExplanation | null; refusal: string | null };

/**
 * Score one record through a deployment, asking for all its contributions; a deployment that cannot explain
 * answers 400, and then the record is scored alone and `refusal` says why there is no explanation.
 */
export async function scoreExplained(endpoint: OnlineEndpoint, deployment: string, secret: string | null, record: Record<string, unknown>): Promise<ExplainedScore> {
  const post = (body: object) => fetch(endpoint.scoring_uri, { method: "POST", headers: scoringHeaders(secret, deployment), body: JSON.stringify(body) });
  const explained = await post({ data: [record], explain: true, explain_top: "all" });
  const explainedText = await explained.text();
  if (explained.ok) {
    const answer = JSON.parse(explainedText) as { result: unknown; explanation: RowExplanation };
    return { result: answer.result, explanation: answer.explanation, refusal: null };
  }
  const plain = await post({ data: [record] });
  const plainText = await plain.text();
  if (!plain.ok) throw new ApiError(plain.status, `HTTP ${plain.status}`, scoringError(plainText));
  return { result: (JSON.parse(plainText) as { result: unknown }).result, explanation: null, refusal: scoringError(explainedText) };
}
