// Jobs and experiments: query keys, paged lists (X-Total-Count), live job details, logs, metrics, outputs.
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, requestPage, segment, type Schemas } from "./client";

export type Job = Schemas["Job"];
export type JobStatus = Schemas["JobStatus"];
export type Experiment = Schemas["Experiment"];
export type MetricPoint = Schemas["MetricPoint"];
export type MetricHistory = Record<string, MetricPoint[]>;
export type LogChunk = Schemas["LogChunk"];
export type OutputFile = Schemas["OutputFile"];

export const JOB_STATUSES: JobStatus[] = ["NotStarted", "Queued", "Preparing", "Running", "Finalizing", "Completed", "Failed", "Canceled"];
const TERMINAL: ReadonlySet<JobStatus> = new Set(["Completed", "Failed", "Canceled"]);
export const isTerminal = (status: JobStatus | undefined) => status !== undefined && TERMINAL.has(status);

/** What a user reads as a job's status: a reused pipeline step says Reused, a stopped AutoML trial EarlyTerminated (as `modelyard job list`). */
export type ShownStatus = JobStatus | "Reused" | "EarlyTerminated";
export function shownStatus(job: Pick<Job, "status" | "reused_from" | "properties">): ShownStatus {
  if (job.reused_from) return "Reused";
  return job.properties?.trial_status === "EarlyTerminated" ? "EarlyTerminated" : job.status;
}

/** How often the studio refreshes what a running job shows. */
export const LIVE_POLL_MS = 2000;
export const LIST_POLL_MS = 5000;
export const JOB_PAGE_SIZE = 100;

/** The jobs list's filters; empty strings mean "any". */
export type JobFilter = { status: string; experiment: string; search: string };

export const jobPath = (name: string) => `/api/jobs/${segment(name)}`;

export const jobKeys = {
  all: ["jobs"] as const,
  experiments: () => [...jobKeys.all, "experiments"] as const,
  page: (filter: JobFilter, page: number) => [...jobKeys.all, "page", filter, page] as const,
  recent: () => [...jobKeys.all, "recent"] as const,
  job: (name: string) => [...jobKeys.all, "job", name] as const,
  children: (name: string) => [...jobKeys.all, "children", name] as const,
  metrics: (name: string) => [...jobKeys.all, "metrics", name] as const,
  outputs: (name: string, output: string) => [...jobKeys.all, "outputs", name, output] as const,
};

/** The list route's query string for one page of a filter. */
export function pageQuery(filter: JobFilter, page: number, size = JOB_PAGE_SIZE): string {
  const params = new URLSearchParams();
  if (filter.status) params.set("status", filter.status);
  if (filter.experiment) params.set("experiment_name", filter.experiment);
  if (filter.search.trim()) params.set("search", filter.search.trim());
  params.set("limit", String(size));
  params.set("offset", String(page * size));
  return params.toString();
}

/** The given pages of the filtered jobs list (newest first), refreshed while shown; fetched only when `enabled`. */
export function useJobPages(filter: JobFilter, pages: number[], enabled = true) {
  return useQueries({
    queries: pages.map((page) => ({
      queryKey: jobKeys.page(filter, page),
      queryFn: () => requestPage<Job>(`/api/jobs?${pageQuery(filter, page)}`),
      enabled,
      refetchInterval: LIST_POLL_MS,
      staleTime: 1000,
    })),
  });
}

/** The ten newest top-level jobs and how many there are. */
export function useRecentJobs() {
  return useQuery({
    queryKey: jobKeys.recent(),
    queryFn: () => requestPage<Job>("/api/jobs?limit=10"),
    refetchInterval: LIST_POLL_MS,
  });
}

export function useExperiments() {
  return useQuery({ queryKey: jobKeys.experiments(), queryFn: () => api.get<Experiment[]>("/api/experiments"), refetchInterval: LIST_POLL_MS });
}

/** A job, refreshed while it has not ended. */
export function useJob(name: string) {
  return useQuery({
    queryKey: jobKeys.job(name),
    queryFn: () => api.get<Job>(jobPath(name)),
    refetchInterval: (query) => (query.state.data && isTerminal(query.state.data.status) ? false : LIVE_POLL_MS),
  });
}

/** Several jobs at once (the compare view). */
export function useJobsByName(names: string[]) {
  return useQueries({ queries: names.map((name) => ({ queryKey: jobKeys.job(name), queryFn: () => api.get<Job>(jobPath(name)) })) });
}

/** Pipeline steps or AutoML trials with their latest metrics; refreshed while the parent runs. */
export function useChildJobs(name: string, live: boolean) {
  return useQuery({
    queryKey: jobKeys.children(name),
    queryFn: () => api.get<Job[]>(`${jobPath(name)}/children?metrics=true`),
    refetchInterval: live ? LIVE_POLL_MS : false,
  });
}

export function useMetricHistory(name: string, live: boolean) {
  return useQuery({
    queryKey: jobKeys.metrics(name),
    queryFn: () => api.get<MetricHistory>(`${jobPath(name)}/metrics`),
    refetchInterval: live ? LIVE_POLL_MS : false,
  });
}

export function useMetricHistories(names: string[]) {
  return useQueries({
    queries: names.map((name) => ({ queryKey: jobKeys.metrics(name), queryFn: () => api.get<MetricHistory>(`${jobPath(name)}/metrics`) })),
  });
}

export function useOutputFiles(name: string, output: string) {
  return useQuery({
    queryKey: jobKeys.outputs(name, output),
    queryFn: () => api.get<OutputFile[]>(`${jobPath(name)}/outputs/${segment(output)}`),
  });
}

export const outputFilePath = (name: string, output: string, file: string) =>
  `${jobPath(name)}/outputs/${segment(output)}/files/${file.split("/").map(segment).join("/")}`;

/** The log from `offset` on (whole lines while the job runs). */
export const fetchLogChunk = (name: string, offset: number) => api.get<LogChunk>(`${jobPath(name)}/logs?offset=${offset}`);

export function useCancelJob() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.post<Job>(`${jobPath(name)}/cancel`),
    onSuccess: (job) => {
      client.setQueryData(jobKeys.job(job.name), job);
      return client.invalidateQueries({ queryKey: jobKeys.all });
    },
  });
}
