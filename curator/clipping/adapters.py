"""The requests adapters the fetcher mounts: connections that obey the fetch's deadline,
and, when asked, TLS checked against the operating system's certificate store.

They live apart from :mod:`curator.clipping.fetch` so that requests and urllib3 (a fair
part of a second to import on a slow laptop) load when the first page is fetched, not
when the app starts: only :meth:`~curator.clipping.fetch.Fetcher.session` imports this.
"""

from __future__ import annotations

import ssl

from requests.adapters import HTTPAdapter

from curator.clipping.deadline import watch_manager


class WatchedAdapter(HTTPAdapter):
    """A requests adapter whose connections (direct or through a proxy) obey deadlines."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        watch_manager(self.poolmanager)

    def proxy_manager_for(self, proxy, **kwargs):
        return watch_manager(super().proxy_manager_for(proxy, **kwargs))


class SystemTrustAdapter(WatchedAdapter):
    """An adapter whose TLS checks use the operating system's certificate store."""

    def __init__(self, **kwargs):
        import truststore
        self._ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["ssl_context"] = self._ctx
        return super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy, **kwargs):
        kwargs["ssl_context"] = self._ctx
        return super().proxy_manager_for(proxy, **kwargs)
