"""One Curator per person: a second start hands over to the running one and leaves.

The running app listens on a local socket named for this person's settings folder. A new
start first tries to reach it; if it answers, the new start sends what it was asked to do
(bring the window forward, clip a link given on the command line) and exits, so a
practitioner who double-clicks the icon again, or opens a link with Curator, lands in the
window they already have.
"""

from __future__ import annotations

import hashlib
import json
import os

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from curator import preferences

CONNECT_MS = 400
MAX_MESSAGE = 64 * 1024


def instance_key() -> str:
    """The socket name: the same for every start by this person with these settings."""
    who = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    seed = f"{who}|{preferences.config_dir().resolve()}"
    return "curator-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:16]


def send_to_running(message: dict, key: str | None = None) -> bool:
    """Hand *message* to a running Curator; False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(key or instance_key())
    if not socket.waitForConnected(CONNECT_MS):
        return False
    socket.write(json.dumps(message).encode("utf-8") + b"\n")
    sent = socket.waitForBytesWritten(CONNECT_MS)
    socket.disconnectFromServer()
    return sent


class InstanceServer(QObject):
    """Listens for later starts; emits each one's message on the GUI thread."""

    message = Signal(dict)

    def __init__(self, key: str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.key = key or instance_key()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; False when another Curator already answers on this name."""
        if send_to_running({"ping": True}, self.key):
            return False
        # Nobody answers: any socket file left is from a Curator that crashed, so take it.
        QLocalServer.removeServer(self.key)
        return self._server.listen(self.key)

    def close(self) -> None:
        self._server.close()
        for socket in list(self._buffers):
            self._drop(socket)

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.readyRead.disconnect()
        socket.disconnected.disconnect()
        socket.abort()
        socket.deleteLater()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.setParent(self)
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        self._buffers[socket] = data[:MAX_MESSAGE]
        if b"\n" in data:
            self._finish(socket)

    def _finish(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket)
        if data is None:
            return
        data += bytes(socket.readAll().data())
        self._drop(socket)
        try:
            message = json.loads(data.split(b"\n", 1)[0].decode("utf-8"))
        except ValueError:
            return  # not one of ours
        if isinstance(message, dict) and not message.get("ping"):
            self.message.emit(message)
