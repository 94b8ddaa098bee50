"""Several scoring requests in one body: how the workspace server hands a scoring process the requests
that queued up while the process was busy (``POST /score-many``), and how the answers come back.

A frame is an ASCII header line ``<a> <b>\\n`` followed by two byte strings of those lengths:
for a request ``a`` is the query string's length and ``b`` the body's; for an answer ``a`` is the
HTTP status and ``b`` the answer body's length. Frames follow each other with nothing between.
"""

from __future__ import annotations

CONTENT_TYPE = b"application/x-modelyard-frames"


def frame_requests(requests: list[tuple[bytes, bytes]]) -> bytes:
    """``(query_string, body)`` pairs as one body."""
    return b"".join(b"%d %d\n%s%s" % (len(query), len(body), query, body) for query, body in requests)


def frame_answers(answers: list[tuple[int, bytes]]) -> bytes:
    """``(status, body)`` pairs as one body."""
    return b"".join(b"%d %d\n%s" % (status, len(body), body) for status, body in answers)


def read_requests(data: bytes) -> list[tuple[bytes, bytes]]:
    return [(payload[:first], payload[first:]) for first, payload in _frames(data, lambda first, second: first + second)]


def read_answers(data: bytes) -> list[tuple[int, bytes]]:
    return _frames(data, lambda first, second: second)


def _frames(data: bytes, payload_size) -> list[tuple[int, bytes]]:
    """``(first number, payload)`` per frame, the payload's length being ``payload_size(first, second)``."""
    frames, at, size = [], 0, len(data)
    while at < size:
        line_end = data.find(b"\n", at)
        try:
            first, second = (int(part) for part in data[at:line_end].split(b" "))
        except ValueError:
            raise ValueError(f"a frame header that is not two numbers at byte {at}") from None
        end = line_end + 1 + payload_size(first, second)
        if line_end < 0 or first < 0 or second < 0 or end > size:
            raise ValueError(f"the frame at byte {at} runs past the end of the body")
        frames.append((first, data[line_end + 1:end]))
        at = end
    return frames
