"""`kiosk search` as a real process on the shipped content: the JSON contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.test_terminal_walk import write_config


def kiosk_search(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_CONFIG": str(write_config(tmp_path)), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "kiosk", "search", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def test_json_lists_flow_score_and_title(tmp_path: Path) -> None:
    result = kiosk_search(tmp_path, "--json", "--top", "3", "我没钱请律师怎么办")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert 1 <= len(hits) <= 3
    assert all(set(hit) == {"flow", "score", "title"} for hit in hits)
    assert hits[0]["flow"] == "legal-aid" and hits[0]["title"] == "申请法律援助（免费律师）"
    assert all(isinstance(hit["score"], float) for hit in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_batch_prints_one_list_per_line(tmp_path: Path) -> None:
    queries = ["free lawyer", "", "xyzzy", "falv yuanzhu"]
    result = kiosk_search(tmp_path, "--batch", "--top", "2", stdin="\n".join(queries) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(queries)
    assert lines[0][0]["flow"] == "legal-aid" and lines[0][0]["title"].startswith("Apply for legal aid")
    assert lines[1] == [] and lines[2] == []
    assert lines[3][0]["flow"] == "legal-aid"


def test_query_and_batch_together_is_an_error(tmp_path: Path) -> None:
    result = kiosk_search(tmp_path, "--batch", "lawyer", stdin="")
    assert result.returncode == 2 and "either" in result.stderr


def test_out_of_scope_prints_an_empty_list_and_with_referral_who_handles_it(tmp_path: Path) -> None:
    result = kiosk_search(tmp_path, "--json", "--top", "3", "明天会下雨吗")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    result = kiosk_search(tmp_path, "--json", "--referral", "驾驶证丢了怎么补")
    found = json.loads(result.stdout)
    assert found["hits"] == [] and found["out_of_scope"] is True
    assert found["referral"]["body"] == "police" and "派出所" in found["referral"]["text"]
    assert [h["number"] for h in found["referral"]["hotlines"]][-1] == "12348"
    plain = kiosk_search(tmp_path, "驾驶证丢了怎么补")
    assert plain.stdout.startswith("not here: 这件事不归这里办。")


def test_bad_input_prints_an_empty_list_for_each_query(tmp_path: Path) -> None:
    """Empty, 500 characters of noise, emoji only, mixed scripts, punctuation only, recognised
    hesitation: `[]` each, one line each, exit 0 (and a real question in the same batch found)."""
    bad = ["", "哦嗯呃啊哈喂哎呀嘛唉的一是不了" * 33 + "哦嗯呃啊哈", "😀🙏😀", "ㅋㅋㅋ こんにちは ééé ñ",
           "？！。，、……!!!", "嗯嗯啊啊呃那个那个", "ok ok 嗯 yes"]
    assert len(bad[1]) == 500
    result = kiosk_search(tmp_path, "--json", "--top", "3", "--batch", stdin="\n".join([*bad, "工伤怎么认定"]) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[:-1] == [[] for _ in bad]
    assert lines[-1][0]["flow"] == "work-injury"
    one = kiosk_search(tmp_path, "--json", "--top", "3", bad[1])
    assert one.returncode == 0 and json.loads(one.stdout) == []
    empty = kiosk_search(tmp_path, "--json", "--top", "3", "")
    assert empty.returncode == 0 and json.loads(empty.stdout) == [], empty.stderr
    none = kiosk_search(tmp_path, "--json", "--top", "3")
    assert none.returncode == 2 and "either" in none.stderr
