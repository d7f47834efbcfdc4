"""[central] settings: file values, environment overrides, token file permissions."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.connector.settings import load_central_settings

BASE = Path(__file__).resolve().parents[2] / "config"


def write_config(tmp_path: Path, central: str) -> Path:
    text = (BASE / "kiosk.toml").read_text(encoding="utf-8").split("[central]")[0]
    text = text.replace('path = "../content"', f'path = "{(BASE.parent / "content").as_posix()}"')
    text = text.replace('locality = "localities/demo.yaml"', f'locality = "{(BASE / "localities/demo.yaml").as_posix()}"')
    text = text.replace('profiles = "printers.toml"', f'profiles = "{(BASE / "printers.toml").as_posix()}"')
    path = tmp_path / "kiosk.toml"
    path.write_text(text + "[central]\n" + central, encoding="utf-8")
    return path


def test_shipped_config_has_no_central_service_by_default() -> None:
    settings = load_central_settings(load_config(env={}), env={})
    assert not settings.enabled and settings.ticket_prefix == "K1"


def test_file_values_and_env_overrides(tmp_path: Path) -> None:
    token = tmp_path / "kiosk.token"
    token.write_text("secret-from-file\n")
    token.chmod(0o600)
    path = write_config(tmp_path, 'url = "https://central.example.gov.cn/"\ntoken_file = "kiosk.token"\n'
                                  'tuf_root = "root.json"\nticket_prefix = "K3"\nsync_interval_s = 600\n')
    cfg = load_config(path, env={})
    settings = load_central_settings(cfg, env={})
    assert settings.url == "https://central.example.gov.cn" and settings.token == "secret-from-file"
    assert settings.tuf_root == tmp_path / "root.json" and settings.sync_interval_s == 600
    env = {"KIOSK_CENTRAL_URL": "http://127.0.0.1:9", "KIOSK_TOKEN": "t-env", "KIOSK_TUF_ROOT": "/etc/r.json",
           "KIOSK_STATE_DIR": str(tmp_path / "state")}
    cfg = load_config(path, env=env)
    settings = load_central_settings(cfg, env=env)
    assert (settings.url, settings.token, settings.tuf_root) == ("http://127.0.0.1:9", "t-env", Path("/etc/r.json"))
    assert cfg.state_dir == settings.state_dir == tmp_path / "state"


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    token = tmp_path / "kiosk.token"
    token.write_text("secret")
    token.chmod(0o644)
    path = write_config(tmp_path, 'url = "https://c.example"\ntoken_file = "kiosk.token"\n')
    with pytest.raises(ConfigError, match="chmod 600"):
        load_central_settings(load_config(path, env={}), env={})


@pytest.mark.parametrize("central, message", [
    ('url = "ftp://x"\n', "http"),
    ('url = "https://x"\ntoken = "t"\nticket_prefix = "k-3"\n', "ticket_prefix"),
    ('url = "https://x"\ntoken = "t"\nread_timeout_s = "slow"\n', "read_timeout_s"),
])
def test_bad_values_name_the_key(tmp_path: Path, central: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_central_settings(load_config(write_config(tmp_path, central), env={}), env={})


def test_a_token_inline_in_a_config_others_can_read_is_refused(tmp_path: Path) -> None:
    """Issue 14: the permission check applied to token_file only; a token written straight
    into kiosk.toml was taken from a world-readable file."""
    path = write_config(tmp_path, 'url = "https://c.example"\ntoken = "secret-inline"\n')
    path.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        load_central_settings(load_config(path, env={}), env={})
    path.chmod(0o600)
    assert load_central_settings(load_config(path, env={}), env={}).token == "secret-inline"


@pytest.mark.parametrize("url", ["http://central.example.gov.cn", "http://10.1.2.3:8700",
                                 "http://127.0.0.1.example.com", "http://localhost.example.com"])
def test_plain_http_to_another_machine_is_refused(tmp_path: Path, url: str) -> None:
    """Issue 14: it only warned, and the token and bookings went over the network in clear."""
    path = write_config(tmp_path, f'url = "{url}"\n')
    with pytest.raises(ConfigError, match="plain HTTP"):
        load_central_settings(load_config(path, env={}), env={})


@pytest.mark.parametrize("url", ["http://127.0.0.1:8700", "http://localhost:8700", "http://[::1]:8700",
                                 "https://central.example.gov.cn"])
def test_plain_http_to_this_machine_or_https_is_accepted(tmp_path: Path, url: str) -> None:
    path = write_config(tmp_path, f'url = "{url}"\n')
    assert load_central_settings(load_config(path, env={}), env={}).url == url
