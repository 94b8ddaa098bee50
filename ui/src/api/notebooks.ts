// The workspace's notebooks folder (shared by every compute instance): list, download, upload.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, downloadFile, request, segment, type Schemas } from "./client";

export type NotebookFile = Schemas["NotebookFile"];

export const notebookKeys = { all: ["notebooks"] as const };

export function useNotebookFiles() {
  return useQuery({ queryKey: notebookKeys.all, queryFn: () => api.get<NotebookFile[]>("/api/notebooks") });
}

/** One URL segment, slashes encoded: the server checks the whole path. */
const route = (path: string) => `/api/notebooks/${segment(path)}`;

export const downloadNotebook = (path: string) => downloadFile(route(path), path.split("/").pop() ?? path);

export function useUploadNotebook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file);
      return request<NotebookFile>("PUT", route(file.name), form);
    },
    onSuccess: () => client.invalidateQueries({ queryKey: notebookKeys.all }),
  });
}

/** A file opened in a running instance's JupyterLab (its url carries the token). */
export function jupyterLabLink(instanceUrl: string, path: string): string {
  const url = new URL(instanceUrl);
  url.pathname = `/lab/tree/${path.split("/").map(segment).join("/")}`;
  return url.toString();
}
