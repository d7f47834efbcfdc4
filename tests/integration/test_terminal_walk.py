"""`kiosk walk` as a real process: a resident walks a flow in the terminal to an outcome,
and the printable summary lands in the virtual printer's folder."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import CONTENT, LOCALITY


def write_config(tmp_path: Path) -> Path:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        "[kiosk]\nid = \"test\"\nlocales = [\"zh-CN\", \"en\"]\n"
        "[content]\n"
        f"path = \"{CONTENT}\"\nlocality = \"{LOCALITY}\"\nstate_dir = \"{tmp_path / 'var'}\"\n",
        encoding="utf-8",
    )
    return config


def run_kiosk(config: Path, stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_CONFIG": str(config), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "walk", *args], input=stdin, capture_output=True,
        text=True, env=env, timeout=60, check=False,
    )


def menu_number(output: str, title: str) -> str:
    match = re.search(rf"^\s*(\d+)\. {re.escape(title)}$", output, re.MULTILINE)
    assert match, f"{title!r} not in menu:\n{output}"
    return match.group(1)


def test_walk_to_an_outcome_writes_the_summary(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    menu = run_kiosk(config, "q\n").stdout
    number = menu_number(menu, "申请法律援助（免费律师）")
    # matter: wages (1); no lawyer (2); work in this county (1); no deadline within 7 days (2);
    # no dibao (2); not a migrant (2); not a child, elder or disabled person (2); 3 people; 3000 yuan
    result = run_kiosk(config, f"{number}\n1\n2\n1\n2\n2\n2\n2\n3\n3000\nq\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "第1步/共4步" in out and "第4步/共4步" in out
    assert "您可以申请法律援助" in out and "1575" in out
    assert "示范县公共法律服务中心" in out and "法律援助法 第三十一条" in out
    assert "请取走打印的凭条" in out
    slips = list((tmp_path / "var" / "slips").glob("summary-*.bin"))
    assert len(slips) == 1 and slips[0].with_suffix(".png").is_file()
    text = slips[0].read_bytes().decode("gb18030", errors="replace")
    assert "您可以申请法律援助" in text and "3000" not in text  # the answers are not on it


def test_bad_answers_get_a_plain_message_and_back_works(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    number = menu_number(run_kiosk(config, "q\n", "--locale", "en").stdout,
                         "Apply for legal aid (a free lawyer)")
    stdin = f"{number}\n1\n2\n1\n2\n2\n2\n2\nabc\n0\nb\nb\nr\nq\n"
    result = run_kiosk(config, stdin, "--locale", "en")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "Please enter a number." in result.stdout
    assert "The number cannot be less than 1." in result.stdout
    assert "Goodbye." in result.stdout


def test_typed_words_find_the_flow(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = run_kiosk(config, "falv yuanzhu\nh\nq\n")
    assert result.returncode == 0, result.stderr
    assert "[申请法律援助（免费律师）]" in result.stdout
