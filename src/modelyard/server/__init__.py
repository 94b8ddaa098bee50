"""The long-running workspace server process."""

from modelyard.server._process import ServerInfo, is_loopback, running, serve, start_detached, stop

__all__ = ["ServerInfo", "is_loopback", "running", "serve", "start_detached", "stop"]
