"""SDK for webhooks and events: ``ws.webhooks.create(url=..., events=["job.completed"])``, ``ws.events.stream()``."""

from __future__ import annotations

import json
import time
from typing import Any, Iterator
from urllib.parse import quote

from pydantic import TypeAdapter

from modelyard.client._http import ApiClient
from modelyard.spec._common import validate_spec
from modelyard.spec.event import CloudEvent, EventPage
from modelyard.spec.webhook import Webhook, WebhookCreate, WebhookDelivery

CREATE = TypeAdapter(WebhookCreate)


class WebhookOperations:
    def __init__(self, api) -> None:
        self._api = api  # a callable: webhooks are delivered by the workspace server

    def create(self, spec: Any = None, **fields: Any) -> Webhook:
        """The answer carries the webhook's secret (given, or made here): the only time it is shown."""
        if spec is None or isinstance(spec, dict):
            spec = validate_spec(CREATE, spec or fields, "webhook")
        return Webhook.model_validate(self._api().post("/api/webhooks", json=spec.model_dump(mode="json",
                                                                                             exclude_none=True)))

    def get(self, name: str) -> Webhook:
        return Webhook.model_validate(self._api().get(f"/api/webhooks/{quote(name)}"))

    def list(self) -> list[Webhook]:
        return [Webhook.model_validate(w) for w in self._api().get("/api/webhooks")]

    def delete(self, name: str) -> None:
        self._api().delete(f"/api/webhooks/{quote(name)}")

    def deliveries(self, name: str, status: str | None = None, limit: int = 100) -> list[WebhookDelivery]:
        params = {"limit": limit, **({"status": status} if status else {})}
        return [WebhookDelivery.model_validate(d)
                for d in self._api().get(f"/api/webhooks/{quote(name)}/deliveries", params=params)]

    def test(self, name: str) -> WebhookDelivery:
        return WebhookDelivery.model_validate(self._api().post(f"/api/webhooks/{quote(name)}/test"))

    def redeliver(self, name: str, delivery_id: int) -> WebhookDelivery:
        return WebhookDelivery.model_validate(
            self._api().post(f"/api/webhooks/{quote(name)}/deliveries/{delivery_id}/redeliver"))

    def wait(self, name: str, delivery_id: int, timeout: float = 60) -> WebhookDelivery:
        """Delivery ``delivery_id`` once it Succeeded or Failed (or as it is after ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            found = next((d for d in self.deliveries(name, limit=1000) if d.id == delivery_id), None)
            if found is None or found.status != "Pending" or time.monotonic() > deadline:
                return found
            time.sleep(0.2)


class EventOperations:
    def __init__(self, api: ApiClient, server_api) -> None:
        self._api = api  # the store's events can be listed without a server
        self._server_api = server_api  # a live stream needs the server, which writes them

    def list(self, since: str | int | None = None, types: list[str] | None = None, limit: int = 100) -> EventPage:
        params: dict[str, Any] = {"limit": limit, **({"since": str(since)} if since is not None else {})}
        if types:
            params["type"] = ",".join(types)
        return EventPage.model_validate(self._api.get("/api/events", params=params))

    def stream(self, types: list[str] | None = None, since: str | int | None = None) -> Iterator[CloudEvent]:
        """Events as they are emitted (after ``since`` first, when given), until the caller stops."""
        params: dict[str, Any] = {**({"since": str(since)} if since is not None else {})}
        if types:
            params["type"] = ",".join(types)
        api = self._server_api()
        with api.http.stream("GET", "/api/events/stream", params=params, timeout=None) as response:
            if response.status_code >= 400:
                response.read()
                raise api._error(response)
            for line in response.iter_lines():
                if line.startswith("data: "):
                    yield CloudEvent.model_validate(json.loads(line[6:]))
