"""Wan Studio's inference sidecar: a JSON-RPC 2.0 server on stdin/stdout (see PROTOCOL.md)."""

__version__ = "0.1.0"
PROTOCOL_VERSION = 1
