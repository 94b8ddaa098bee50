// Environments: query keys, queries and mutations (build a new version, archive or restore one).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";
import { LIST_POLL_MS } from "./jobs";

export type Environment = Schemas["Environment"];
export type EnvironmentCreate = Schemas["EnvironmentCreate"];

export const environmentPath = (name: string, version: number | string) => `/api/environments/${segment(name)}/versions/${segment(String(version))}`;

export const environmentKeys = {
  all: ["environments"] as const,
  list: (archived: boolean) => [...environmentKeys.all, "list", archived] as const,
  version: (name: string, version: string) => [...environmentKeys.all, "version", name, version] as const,
  log: (name: string, version: string) => [...environmentKeys.all, "log", name, version] as const,
};

/** Its build is queued or running. */
export const isBuilding = (environment: Environment | undefined) => environment?.state === "Queued" || environment?.state === "Building";

/** Every version (newest first within a name), refreshed while shown: builds move on. */
export function useEnvironments(includeArchived: boolean) {
  return useQuery({
    queryKey: environmentKeys.list(includeArchived),
    queryFn: () => api.get<Environment[]>(`/api/environments?include_archived=${includeArchived}`),
    refetchInterval: LIST_POLL_MS,
  });
}

/** One version, refreshed until its build has ended. */
export function useEnvironment(name: string, version: string) {
  return useQuery({
    queryKey: environmentKeys.version(name, version),
    queryFn: () => api.get<Environment>(environmentPath(name, version)),
    refetchInterval: (query) => (query.state.data === undefined || isBuilding(query.state.data) ? LIST_POLL_MS : false),
  });
}

/** The version's build log (a note while it builds), refreshed while ``live``. */
export function useBuildLog(name: string, version: string, live: boolean) {
  return useQuery({
    queryKey: environmentKeys.log(name, version),
    queryFn: () => api.get<string>(`${environmentPath(name, version)}/log`),
    refetchInterval: live ? LIST_POLL_MS : false,
  });
}

function useEnvironmentMutation<A, T>(send: (args: A) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSettled: () => client.invalidateQueries({ queryKey: environmentKeys.all }) });
}

/** A new version: the server queues its build at once. */
export const useBuildEnvironment = () => useEnvironmentMutation((spec: EnvironmentCreate) => api.post<Environment>("/api/environments", spec));
export const useArchiveEnvironment = () =>
  useEnvironmentMutation(({ environment, archived }: { environment: Environment; archived: boolean }) =>
    api.patch<Environment>(environmentPath(environment.name, environment.version), { archived }),
  );
