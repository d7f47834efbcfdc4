"""python-tuf's FetcherInterface over the connector's requests Session.

So TUF downloads share the kiosk's TLS settings (pinned CA bundle), timeouts and retry
policy, and count their bytes for the bench and for `kiosk sync --json`.
"""

from __future__ import annotations

from collections.abc import Iterator

import requests
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface


class SessionFetcher(FetcherInterface):
    def __init__(self, session: requests.Session, timeout: tuple[float, float],
                 chunk_size: int = 65536) -> None:
        self.session = session
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.bytes_received = 0
        self.requests = 0

    def _fetch(self, url: str) -> Iterator[bytes]:
        self.requests += 1
        try:
            response = self.session.get(url, stream=True, timeout=self.timeout)
        except requests.Timeout as exc:
            raise exceptions.SlowRetrievalError from exc
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"cannot fetch {url}: {type(exc).__name__}") from exc
        if response.status_code != 200:
            self.bytes_received += len(response.content)
            response.close()
            raise exceptions.DownloadHTTPError(f"HTTP {response.status_code} for {url}",
                                               response.status_code)
        return self._chunks(response)

    def _chunks(self, response: requests.Response) -> Iterator[bytes]:
        try:
            for chunk in response.iter_content(self.chunk_size):
                self.bytes_received += len(chunk)
                yield chunk
        except requests.Timeout as exc:
            raise exceptions.SlowRetrievalError from exc
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"download broke off: {type(exc).__name__}") from exc
        finally:
            response.close()
