import type { Job } from "../../api/jobs";

/** "0.4 s", "7.5 s", "42 s", "3 min 5 s", "2 h 4 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "—";
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)} s`; // AutoML trials often take under a second
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A finished job's duration, or how long a running one has run so far. */
export function jobDuration(job: Job, now = Date.now()): number | null {
  if (job.duration_seconds !== null && job.duration_seconds !== undefined) return job.duration_seconds;
  return job.started_at ? (now - new Date(job.started_at).getTime()) / 1000 : null;
}
