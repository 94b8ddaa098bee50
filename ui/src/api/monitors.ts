// Monitors (drift and data-quality checks): query keys and queries of the list, a monitor, its history and a run.
import { useQuery } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";
import { isTerminal } from "./jobs";

export type Monitor = Schemas["Monitor"];
export type MonitorHistoryEntry = Schemas["MonitorHistoryEntry"];
export type MonitorRunResult = Schemas["MonitorRunResult"];
export type SignalResult = Schemas["SignalResult"];
export type FeatureResult = Schemas["FeatureResult"];
export type MetricResult = Schemas["MetricResult"];
export type Histogram = Schemas["Histogram"];

const POLL_MS = 5000;
const monitorPath = (name: string) => `/api/monitors/${segment(name)}`;

export const monitorKeys = {
  all: ["monitors"] as const,
  list: () => [...monitorKeys.all, "list"] as const,
  monitor: (name: string) => [...monitorKeys.all, "monitor", name] as const,
  history: (name: string) => [...monitorKeys.all, "history", name] as const,
  run: (name: string, job: string) => [...monitorKeys.all, "run", name, job] as const,
};

const running = (entries: MonitorHistoryEntry[] | undefined) => (entries ?? []).some((e) => !isTerminal(e.job_status));

export function useMonitors() {
  return useQuery({ queryKey: monitorKeys.list(), queryFn: () => api.get<Monitor[]>("/api/monitors") });
}

export function useMonitor(name: string) {
  return useQuery({ queryKey: monitorKeys.monitor(name), queryFn: () => api.get<Monitor>(monitorPath(name)) });
}

/** Every period of the monitor's runs, newest run first; polled while a run has not ended. */
export function useMonitorHistory(name: string) {
  return useQuery({
    queryKey: monitorKeys.history(name),
    queryFn: () => api.get<MonitorHistoryEntry[]>(`${monitorPath(name)}/runs`),
    refetchInterval: (query) => (running(query.state.data) ? POLL_MS : false),
  });
}

/** The stored result of one completed run (per period, signal, feature and metric). */
export function useMonitorRun(name: string, job: string | undefined) {
  return useQuery({
    queryKey: monitorKeys.run(name, job ?? ""),
    queryFn: () => api.get<MonitorRunResult>(`${monitorPath(name)}/runs/${segment(job ?? "")}`),
    enabled: Boolean(job),
  });
}
