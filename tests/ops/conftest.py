"""Fixtures for the operator's tests: sockets that stand in for a server that is down
(a closed port: connections refused) or hung (a listener that accepts and never answers)."""

import socket

import pytest


@pytest.fixture
def refused_port():
    """A port nothing listens on: connecting is refused at once."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def hung_port():
    """A port whose listener completes every TCP handshake (the kernel does, into the
    backlog) and never reads or writes a byte: a server that hangs."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    yield sock.getsockname()[1]
    sock.close()
