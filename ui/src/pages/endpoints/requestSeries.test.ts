import { describe, expect, it } from "vitest";
import type { RequestLogEntry } from "../../api/endpoints";
import { percentile, requestSeries } from "./requestSeries";

const entry = (time: number, deployment: string, status: number, latency_ms: number): RequestLogEntry => ({ time, endpoint: "e", deployment, status, latency_ms });

describe("requestSeries", () => {
  const log = [entry(1000, "blue", 200, 4), entry(1003, "blue", 400, 2), entry(1009.9, "green", 200, 10), entry(1015, "blue", 200, 6), entry(900, "blue", 200, 1)];

  it("counts requests and failures per bucket, empty buckets included, older ones left out", () => {
    const series = requestSeries(log, "", 1019, 10, 3);
    expect(series.map((p) => p.time)).toEqual([990_000, 1_000_000, 1_010_000]);
    expect(series.map((p) => [p.requests, p.failed])).toEqual([[0, 0], [3, 1], [1, 0]]);
    expect(series[1]).toMatchObject({ p50: 4, p99: 10 });
    expect(series[0]).toMatchObject({ p50: null, p99: null });
  });

  it("follows one deployment", () => {
    expect(requestSeries(log, "blue", 1019, 10, 3).map((p) => p.requests)).toEqual([0, 2, 1]);
  });

  it("picks percentiles as the server does", () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(3);
    expect(percentile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(percentile([], 0.5)).toBeNull();
  });
});
