"""Several `central serve` nodes on one PostgreSQL, sharing what production shares (the
secret key file, the TUF repository, the online keys), with a real nginx in front: for the
multi-node test and bench/central.py."""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from central.testing.nginx import Nginx, configure
from central.testing.servers import CentralServer, start_central


@dataclass
class Nodes:
    root: Path
    nodes: list[CentralServer]
    ports: list[int]
    shared_env: dict[str, str]
    nginx: Nginx | None = None
    published: dict[str, object] = field(default_factory=dict)
    #: gunicorn workers and threads per node.
    shape: tuple[int, int] = (1, 4)

    @property
    def tuf_dir(self) -> Path:
        return Path(self.shared_env["CENTRAL_TUF_DIR"])

    def restart(self, index: int) -> None:
        self.nodes[index].start(self.ports[index], *self.shape)

    def stop(self) -> None:
        if self.nginx is not None:
            self.nginx.stop()
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def shared_env(root: Path) -> dict[str, str]:
    """What every node shares: one secret, one repository, the keys (as install.sh lays out)."""
    key = root / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(50) + "\n")
        key.chmod(0o600)
    return {"CENTRAL_SECRET_KEY_FILE": str(key), "CENTRAL_TUF_DIR": str(root / "tuf"),
            "CENTRAL_ONLINE_KEYS_DIR": str(root / "keys" / "online"),
            "CENTRAL_OFFLINE_KEYS_DIR": str(root / "keys" / "offline"), "CENTRAL_TRUSTED_PROXIES": "1"}


def start_nodes(database_url: str, count: int, *, workers: int = 1, threads: int = 4,
                with_nginx: bool = True, publish: bool = True) -> Nodes:
    """Node 0 migrates, makes the demo data and publishes; the others only serve."""
    root = Path(tempfile.mkdtemp(prefix="central-nodes-"))
    env = shared_env(root)
    started: list[CentralServer] = []
    published: dict[str, object] = {}
    try:
        for i in range(count):
            node = start_central(database_url, root / f"node{i}", workers, threads, extra_env=env,
                                 setup=i == 0)
            if i == 0 and publish:
                published = json.loads(node.command("publish", "--json"))
            node.demo = started[0].demo if started else node.demo
            started.append(node)
        ports = [int(n.url.rsplit(":", 1)[1]) for n in started]
        nodes = Nodes(root, started, ports, env, published=published, shape=(workers, threads))
        if with_nginx:
            nodes.nginx = configure(root / "nginx", ports, root / "tuf", root / "node0" / "static").start()
        return nodes
    except BaseException:
        for node in started:
            node.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise
