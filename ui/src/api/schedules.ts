// Schedules: query keys, queries and mutations (enable, disable, trigger, delete).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";
import { LIST_POLL_MS } from "./jobs";

export type Schedule = Schemas["Schedule"];
export type ScheduleFire = Schemas["ScheduleFire"];

const schedulePath = (name: string) => `/api/schedules/${segment(name)}`;

export const scheduleKeys = {
  all: ["schedules"] as const,
  list: () => [...scheduleKeys.all, "list"] as const,
  schedule: (name: string) => [...scheduleKeys.all, "schedule", name] as const,
};

/** Every schedule, refreshed while shown (next fire times move on, fires arrive). */
export function useSchedules() {
  return useQuery({ queryKey: scheduleKeys.list(), queryFn: () => api.get<Schedule[]>("/api/schedules"), refetchInterval: LIST_POLL_MS });
}

export function useSchedule(name: string) {
  return useQuery({ queryKey: scheduleKeys.schedule(name), queryFn: () => api.get<Schedule>(schedulePath(name)), refetchInterval: LIST_POLL_MS });
}

/** A mutation on one schedule named at call time; every schedule query is refreshed after it. */
function useScheduleAction<T>(send: (name: string) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSettled: () => client.invalidateQueries({ queryKey: scheduleKeys.all }) });
}

export const useEnableSchedule = () => useScheduleAction((name) => api.post<Schedule>(`${schedulePath(name)}/enable`));
export const useDisableSchedule = () => useScheduleAction((name) => api.post<Schedule>(`${schedulePath(name)}/disable`));
export const useTriggerSchedule = () => useScheduleAction((name) => api.post<ScheduleFire>(`${schedulePath(name)}/trigger`));
export const useDeleteSchedule = () => useScheduleAction((name) => api.delete<void>(schedulePath(name)));
