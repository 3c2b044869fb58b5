"""Live reload: every build's outcome, handed to every open page (each reads it as Server-Sent Events)."""

from __future__ import annotations

import json
import queue
import threading

EVENTS_PATH = "/__showcase/events"


class Broadcaster:
    """Hands every event to every connected page; `close` ends all their streams."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: set[queue.Queue] = set()
        self._closed = False

    def subscribe(self) -> queue.Queue | None:
        with self._lock:
            if self._closed:
                return None
            client: queue.Queue = queue.Queue()
            self._clients.add(client)
            return client

    def unsubscribe(self, client: queue.Queue) -> None:
        with self._lock:
            self._clients.discard(client)

    def send(self, event: str, data: dict) -> None:
        message = f"event: {event}\ndata: {json.dumps(data)}\n\n".encode()
        with self._lock:
            for client in self._clients:
                client.put(message)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for client in self._clients:
                client.put(None)
