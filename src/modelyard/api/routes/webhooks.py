from __future__ import annotations

from fastapi import APIRouter, Body, Depends, Query

from modelyard.api._deps import context
from modelyard.services._context import ServiceContext
from modelyard.services.webhooks import WebhookService
from modelyard.spec.webhook import Webhook, WebhookCreate, WebhookDelivery

router = APIRouter(prefix="/api/webhooks", tags=["webhooks"])


def service(ctx: ServiceContext = Depends(context)) -> WebhookService:
    return WebhookService(ctx)


@router.post("", operation_id="createWebhook", response_model=Webhook, status_code=201)
def create(spec: WebhookCreate = Body(...), webhooks: WebhookService = Depends(service)) -> Webhook:
    """The answer holds the webhook's secret, the only time it is shown."""
    return webhooks.create(spec)


@router.get("", operation_id="listWebhooks", response_model=list[Webhook])
def list_(webhooks: WebhookService = Depends(service)) -> list[Webhook]:
    return webhooks.list()


@router.get("/{name}", operation_id="getWebhook", response_model=Webhook)
def get(name: str, webhooks: WebhookService = Depends(service)) -> Webhook:
    return webhooks.get(name)


@router.delete("/{name}", operation_id="deleteWebhook", status_code=204)
def delete(name: str, webhooks: WebhookService = Depends(service)) -> None:
    webhooks.delete(name)


@router.get("/{name}/deliveries", operation_id="listWebhookDeliveries", response_model=list[WebhookDelivery])
def deliveries(name: str, status: str | None = None, limit: int = Query(100, ge=1, le=1000),
               webhooks: WebhookService = Depends(service)) -> list[WebhookDelivery]:
    return webhooks.deliveries(name, status, limit)


@router.post("/{name}/test", operation_id="testWebhook", response_model=WebhookDelivery, status_code=202)
def test(name: str, webhooks: WebhookService = Depends(service)) -> WebhookDelivery:
    return webhooks.test(name)


@router.post("/{name}/deliveries/{delivery_id}/redeliver", operation_id="redeliverWebhookDelivery",
             response_model=WebhookDelivery, status_code=202)
def redeliver(name: str, delivery_id: int, webhooks: WebhookService = Depends(service)) -> WebhookDelivery:
    return webhooks.redeliver(name, delivery_id)
