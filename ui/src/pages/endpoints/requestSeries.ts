// The Monitoring tab's series, from the server's request log: counts and latency percentiles per time bucket.
import type { RequestLogEntry } from "../../api/endpoints";

export type Point = { time: number; requests: number; failed: number; p50: number | null; p99: number | null };

/** The same pick as the server's DeploymentStats (api/_scoring.py): the value at rank floor(q·n). */
export function percentile(sorted: number[], q: number): number | null {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : null;
}

/**
 * One point per `bucketSeconds` over the last `buckets` buckets up to `now` (seconds), empty buckets included,
 * for one deployment or all ("").
 */
export function requestSeries(log: RequestLogEntry[], deployment: string, now: number, bucketSeconds = 10, buckets = 30): Point[] {
  const end = Math.floor(now / bucketSeconds) * bucketSeconds;
  const start = end - (buckets - 1) * bucketSeconds;
  const latencies: number[][] = Array.from({ length: buckets }, () => []);
  const failed = new Array<number>(buckets).fill(0);
  for (const entry of log) {
    if (deployment && entry.deployment !== deployment) continue;
    const index = Math.floor((entry.time - start) / bucketSeconds);
    if (index < 0 || index >= buckets) continue;
    latencies[index].push(entry.latency_ms);
    if (entry.status >= 400) failed[index] += 1;
  }
  return latencies.map((values, i) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { time: (start + i * bucketSeconds) * 1000, requests: values.length, failed: failed[i], p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  });
}
