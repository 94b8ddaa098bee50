"""Kept-alive HTTP/1.1 connections from the workspace server to its scoring processes' Unix sockets."""

from __future__ import annotations

import asyncio


class ConnectionPool:
    """Kept-alive HTTP/1.1 connections to the scoring processes over their Unix sockets, one request
    at a time each.

    Deliberately minimal (and so fast: a protocol, no streams): the peers are our own scoring
    processes, which answer with a Content-Length or a chunked body.
    """

    def __init__(self, per_socket: int = 256) -> None:
        self.idle: dict[str, list[_Upstream]] = {}
        self.per_socket = per_socket

    async def request(self, path: str, method: bytes, target: bytes, body: bytes) -> tuple[int, bytes, bytes]:
        idle = self.idle.get(path)
        if idle is None:
            idle = self.idle[path] = []
        while idle:
            upstream = idle.pop()
            if upstream.transport.is_closing():
                continue
            try:
                return self._keep(idle, upstream, await upstream.exchange(method, target, body))
            except ConnectionError:
                continue  # a kept-alive connection the scoring process closed: the next one, or a new one
        _, upstream = await asyncio.get_running_loop().create_unix_connection(_Upstream, path)
        return self._keep(idle, upstream, await upstream.exchange(method, target, body))

    def _keep(self, idle: list, upstream: "_Upstream", answer: tuple) -> tuple[int, bytes, bytes]:
        status, content_type, content, keep = answer
        if keep and len(idle) < self.per_socket:
            idle.append(upstream)
        else:
            upstream.transport.close()
        return status, content_type, content

    async def close(self) -> None:
        for connections in self.idle.values():
            for upstream in connections:
                upstream.transport.close()
        self.idle.clear()


class _Upstream(asyncio.Protocol):
    """One connection to a scoring process: writes a request, parses the answer as it arrives."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionResetError("the scoring process closed the connection"))

    async def exchange(self, method: bytes, target: bytes, body: bytes) -> tuple[int, bytes, bytes, bool]:
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(b"%s %s HTTP/1.1\r\nhost: scoring\r\ncontent-type: application/json\r\n"
                             b"content-length: %d\r\n\r\n%s" % (method, target, len(body), body))
        try:
            return await self.waiter
        except BaseException:
            self.transport.close()  # cancelled or broken mid-answer: the connection is not reusable
            raise

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if self.waiter is None or self.waiter.done():
            return
        try:
            answer = _parse_answer(self.buffer)
        except ValueError as error:
            self.waiter.set_exception(ConnectionError(f"a malformed answer from a scoring process: {error}"))
            self.transport.close()
            return
        if answer is not None:
            self.waiter.set_result(answer)


def _parse_answer(buffer: bytearray) -> tuple[int, bytes, bytes, bool] | None:
    """A complete HTTP/1.1 answer taken off the front of ``buffer``, or None while it is incomplete."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = bytes(buffer[:end]).split(b"\r\n")
    status = int(lines[0][9:12])
    content_type, length, chunked, keep = b"application/json", 0, False, True
    for line in lines[1:]:
        key, _, value = line.partition(b":")
        key = key.strip().lower()
        if key == b"content-length":
            length = int(value)
        elif key == b"content-type":
            content_type = value.strip()
        elif key == b"transfer-encoding":
            chunked = value.strip().lower() == b"chunked"
        elif key == b"connection":
            keep = value.strip().lower() != b"close"
    start = end + 4
    if not chunked:
        if len(buffer) < start + length:
            return None
        content = bytes(buffer[start:start + length])
        del buffer[:start + length]
        return status, content_type, content, keep
    chunks, at = [], start
    while True:
        line_end = buffer.find(b"\r\n", at)
        if line_end < 0:
            return None
        size = int(bytes(buffer[at:line_end]).split(b";")[0], 16)
        if len(buffer) < line_end + 2 + size + 2:
            return None
        chunks.append(bytes(buffer[line_end + 2:line_end + 2 + size]))
        at = line_end + 2 + size + 2
        if size == 0:
            del buffer[:at]
            return status, content_type, b"".join(chunks), keep
