"""python-tuf's FetcherInterface over the connector's requests Session.

So TUF downloads share the kiosk's TLS settings (pinned CA bundle), timeouts and retry
policy, and count their bytes for the bench and for `kiosk sync --json`.

timestamp.json, the one file fetched at every check, is asked for with If-None-Match: a
304 hands the Updater the bytes it verified last time, which it verifies again (expiry
included), so an up-to-date check moves no metadata body at all. A mirror that answers
304 forever is a freeze attack, and fails as one when those bytes expire.
"""

from __future__ import annotations

from collections.abc import Iterator

import requests
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface


class SessionFetcher(FetcherInterface):
    def __init__(self, session: requests.Session, timeout: tuple[float, float],
                 chunk_size: int = 65536, etags: dict[str, tuple[str, bytes]] | None = None) -> None:
        self.session = session
        #: url -> (ETag, body) of mutable metadata, kept by the caller between checks.
        self.etags = etags if etags is not None else {}
        self.timeout = timeout
        self.chunk_size = chunk_size
        self.bytes_received = 0
        self.requests = 0

    def _fetch(self, url: str) -> Iterator[bytes]:
        self.requests += 1
        conditional = url.endswith("/timestamp.json")
        cached = self.etags.get(url) if conditional else None
        headers = {"If-None-Match": cached[0]} if cached else None
        try:
            response = self.session.get(url, stream=True, timeout=self.timeout, headers=headers,
                                        verify=self.session.verify)  # the pinned CA wins over env
        except requests.Timeout as exc:
            raise exceptions.SlowRetrievalError from exc
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"cannot fetch {url}: {type(exc).__name__}") from exc
        if response.status_code == 304 and cached is not None:
            response.close()
            return iter([cached[1]])
        if conditional and response.status_code == 200:
            body = self._read(response)
            if response.headers.get("ETag"):
                self.etags[url] = (response.headers["ETag"], body)
            return iter([body])
        if response.status_code != 200:
            self.bytes_received += len(response.content)
            response.close()
            raise exceptions.DownloadHTTPError(f"HTTP {response.status_code} for {url}",
                                               response.status_code)
        return self._chunks(response)

    def _read(self, response: requests.Response) -> bytes:
        return b"".join(self._chunks(response))

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
