// Datastores: named storage locations (secrets come back masked from the API).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";

export type Datastore = Schemas["Datastore"];
export type DatastoreCreate =
  | Schemas["LocalDatastoreCreate"]
  | Schemas["S3DatastoreCreate"]
  | Schemas["HttpDatastoreCreate"]
  | Schemas["SqlDatastoreCreate"];

export const datastoreKeys = {
  all: ["datastores"] as const,
  list: () => [...datastoreKeys.all, "list"] as const,
};

export function useDatastores() {
  return useQuery({ queryKey: datastoreKeys.list(), queryFn: () => api.get<Datastore[]>("/api/datastores") });
}

export function useCreateDatastore() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (spec: DatastoreCreate) => api.post<Datastore>("/api/datastores", spec),
    onSuccess: () => client.invalidateQueries({ queryKey: datastoreKeys.all }),
  });
}

export function useDeleteDatastore() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.delete<void>(`/api/datastores/${segment(name)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: datastoreKeys.all }),
  });
}
