// Webhooks and their deliveries: query keys, queries and mutations.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, segment, type Schemas } from "./client";
import { LIST_POLL_MS } from "./jobs";

export type Webhook = Schemas["Webhook"];
export type WebhookCreate = Schemas["WebhookCreate"];
export type WebhookDelivery = Schemas["WebhookDelivery"];

const webhookPath = (name: string) => `/api/webhooks/${segment(name)}`;

export const webhookKeys = {
  all: ["webhooks"] as const,
  list: () => [...webhookKeys.all, "list"] as const,
  webhook: (name: string) => [...webhookKeys.all, "webhook", name] as const,
  deliveries: (name: string) => [...webhookKeys.all, "deliveries", name] as const,
};

export function useWebhooks() {
  return useQuery({ queryKey: webhookKeys.list(), queryFn: () => api.get<Webhook[]>("/api/webhooks") });
}

export function useWebhook(name: string) {
  return useQuery({ queryKey: webhookKeys.webhook(name), queryFn: () => api.get<Webhook>(webhookPath(name)) });
}

/** The webhook's latest deliveries, newest first, refreshed while shown (retries change them). */
export function useDeliveries(name: string) {
  return useQuery({
    queryKey: webhookKeys.deliveries(name),
    queryFn: () => api.get<WebhookDelivery[]>(`${webhookPath(name)}/deliveries`),
    refetchInterval: LIST_POLL_MS,
  });
}

/** The event types a webhook can subscribe to, with what emits each. */
export function useEventTypes() {
  return useQuery({ queryKey: ["events", "types"], queryFn: () => api.get<Record<string, string>>("/api/events/types"), staleTime: Infinity });
}

function useWebhookMutation<A, T>(send: (args: A) => Promise<T>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: send, onSettled: () => client.invalidateQueries({ queryKey: webhookKeys.all }) });
}

/** Its answer holds the secret: the only time the server shows it. */
export const useCreateWebhook = () => useWebhookMutation((spec: WebhookCreate) => api.post<Webhook>("/api/webhooks", spec));
export const useDeleteWebhook = () => useWebhookMutation((name: string) => api.delete<void>(webhookPath(name)));
export const useTestWebhook = () => useWebhookMutation((name: string) => api.post<WebhookDelivery>(`${webhookPath(name)}/test`));
export const useRedeliver = (name: string) =>
  useWebhookMutation((id: number) => api.post<WebhookDelivery>(`${webhookPath(name)}/deliveries/${id}/redeliver`));
