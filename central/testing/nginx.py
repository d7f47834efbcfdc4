"""A real nginx in front of central nodes, for tests and benches: the production site
(deploy/central/nginx-site.conf.in, rendered by render-nginx.sh) inside a private main
config in a temporary folder, on loopback ports, run in the foreground (never the
machine's own nginx, never a port outside 127.0.0.1)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from central.testing.servers import REPO, free_port

DEPLOY = REPO / "deploy" / "central"


def nginx_missing() -> str | None:
    if shutil.which("nginx") is None:
        return "nginx not installed (apt-get install nginx)"
    return None


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost (the kiosks' CA bundle in tests) and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    return cert_path, key_path


@dataclass
class Nginx:
    root: Path
    conf: Path
    https_port: int
    http_port: int
    cert: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def check(self) -> subprocess.CompletedProcess[str]:
        """`nginx -t` on the whole configuration."""
        return subprocess.run(["nginx", "-t", "-p", str(self.root), "-c", str(self.conf)],
                              capture_output=True, text=True, timeout=30)

    def start(self) -> Nginx:
        with open(self.root / "stderr.log", "wb") as err:
            self.proc = subprocess.Popen(
                ["nginx", "-p", str(self.root), "-c", str(self.conf), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.https_port)) == 0:
                    return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        errors = (self.root / "error.log").read_text(errors="replace")
        raise RuntimeError(f"nginx did not start: {errors[-2000:]}")

    def log_lines(self) -> list[tuple[int, str]]:
        """Every answer's status, and the upstream statuses behind it ("502, 200": nginx
        moved the request to another node; "-" served from disk), from the access log."""
        log = self.root / "access.log"
        if not log.exists():
            return []
        return [(int(status), upstream.strip()) for status, _, upstream in
                (line.partition(" ") for line in log.read_text().splitlines() if line)]

    def statuses(self) -> list[int]:
        return [status for status, _ in self.log_lines()]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def configure(root: Path, node_ports: list[int], tuf_dir: Path, static_dir: Path) -> Nginx:
    """Render the production site for `node_ports` into `root`, wrapped in a main config."""
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
    cert, key = self_signed(root)
    https_port, http_port = free_port(), free_port()
    shutil.copy(DEPLOY / "nginx-proxy.conf", root / "proxy.conf")
    site = subprocess.run(
        [str(DEPLOY / "render-nginx.sh"), "--server-name", "127.0.0.1 localhost", "--cert", str(cert),
         "--key", str(key), "--ports", " ".join(map(str, node_ports)), "--tuf-dir", str(tuf_dir),
         "--static-dir", str(static_dir), "--proxy-conf", str(root / "proxy.conf"),
         "--https-listen", f"127.0.0.1:{https_port}", "--http-listen", f"127.0.0.1:{http_port}"],
        capture_output=True, text=True, check=True, timeout=30).stdout
    (root / "site.conf").write_text(site)
    # Running as root, workers would be `nobody` and could not read the private temp dirs.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = (("client_body", "body"), ("proxy", "proxy"), ("fastcgi", "fastcgi"), ("uwsgi", "uwsgi"),
             ("scgi", "scgi"))
    temp = "".join(f"    {kind}_temp_path {root / 'tmp' / sub};\n" for kind, sub in temps)
    conf = root / "nginx.conf"
    conf.write_text(f"""{user}worker_processes 1;
pid {root / 'nginx.pid'};
error_log {root / 'error.log'} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format status_only '$status $upstream_status';
    access_log {root / 'access.log'} status_only;
{temp}
    include {root / 'site.conf'};
}}
""")
    return Nginx(root, conf, https_port, http_port, cert)
