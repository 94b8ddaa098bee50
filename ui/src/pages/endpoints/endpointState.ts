import type { EndpointKeys, OnlineEndpoint } from "../../api/endpoints";

/** One word for the endpoint, from its deployments' states. */
export function endpointState(endpoint: OnlineEndpoint): string {
  const states = (endpoint.deployments ?? []).map((d) => d.state);
  if (states.length === 0) return "No deployments";
  if (states.includes("Failed")) return "Failed";
  if (states.some((s) => s !== "Succeeded")) return "Updating";
  return "Succeeded";
}

/** The deployment taking the most traffic (the one a plain request most likely reaches), else the first. */
export function primaryDeployment(endpoint: OnlineEndpoint): string {
  const names = (endpoint.deployments ?? []).map((d) => d.name);
  const byTraffic = [...names].sort((a, b) => (endpoint.traffic[b] ?? 0) - (endpoint.traffic[a] ?? 0));
  return byTraffic[0] ?? "";
}

/** What goes after "Bearer": the primary key, or the token. */
export function secretOf(keys: EndpointKeys | undefined): string | null {
  return keys?.primary_key ?? keys?.access_token ?? null;
}

export const scoringUrl = (endpoint: OnlineEndpoint) => `${window.location.origin}${endpoint.scoring_uri}`;
