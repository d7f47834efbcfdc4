"""TLS on for real: a loopback HTTPS server with a bureau's own CA. Without the CA bundle
the kiosk refuses the server; with it (`[central] ca_bundle`) the calls go through."""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from kiosk.connector.client import CentralClient, CentralUnavailable, build_session
from kiosk.connector.settings import CentralSettings
from tests.connector.fake_central import FakeCentral


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca_and_cert(folder: Path) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("County bureau test CA")).issuer_name(_name("County bureau test CA"))
          .public_key(ca_key.public_key()).serial_number(1).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(2).not_valid_before(now - dt.timedelta(hours=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_path, cert_path, key_path = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path, key_path


@pytest.fixture
def https_central(tmp_path: Path) -> Iterator[tuple[FakeCentral, Path]]:
    ca, cert, key = make_ca_and_cert(tmp_path)
    server = FakeCentral()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.start()
    yield server, ca
    server.stop()


def test_tls_is_verified_and_a_bureau_ca_bundle_is_honoured(
        https_central: tuple[FakeCentral, Path], settings: CentralSettings) -> None:
    server, ca = https_central
    url = server.url.replace("http://", "https://")
    plain = dataclasses.replace(settings, url=url, retries=0)
    with pytest.raises(CentralUnavailable, match="SSLError"):
        CentralClient(plain, build_session(plain)).get("/api/v1/services")
    assert server.state.requests == []  # nothing was sent to a server we could not verify
    pinned = dataclasses.replace(plain, ca_bundle=ca)
    services = CentralClient(pinned, build_session(pinned)).get("/api/v1/services")
    assert services[0]["id"] == "legal-aid"
