// The audit trail: its records (filtered) and the verification of its hash chain.
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";

export type AuditRecord = Schemas["AuditRecord"];
export type AuditVerification = Schemas["AuditVerification"];

/** The list's filters; empty strings mean "any". */
export type AuditFilter = { since: string; noun: string; who: string };

export function auditQuery(filter: AuditFilter, limit = 200): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value.trim()) params.set(key, value.trim());
  params.set("limit", String(limit));
  return params.toString();
}

export function useAuditRecords(filter: AuditFilter) {
  return useQuery({ queryKey: ["audit", "list", filter], queryFn: () => api.get<AuditRecord[]>(`/api/audit?${auditQuery(filter)}`) });
}

export function useAuditVerification() {
  return useQuery({ queryKey: ["audit", "verify"], queryFn: () => api.get<AuditVerification>("/api/audit/verify") });
}
