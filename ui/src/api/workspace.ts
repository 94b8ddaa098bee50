// Workspace: the header's name and version.
import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";

export type WorkspaceInfo = Schemas["WorkspaceInfo"];

export const workspaceKeys = { info: ["workspace"] as const };

export function useWorkspace() {
  return useQuery({ queryKey: workspaceKeys.info, queryFn: () => api.get<WorkspaceInfo>("/api/workspace") });
}
