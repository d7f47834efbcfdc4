"""Search examples as content (content/search/examples/): each class of error named with
file and line, the schema file kept to the model, and the examples carried by the
compiled bundle a kiosk serves from."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.content.bundle import load_bundle
from kiosk.content.compiled import compile_bundle, read_compiled
from kiosk.flows.validate import validate
from tests.conftest import CONTENT, FIXTURES, LOCALITY

LOCALES = ("zh-CN", "en")
#: Made-up lines, enough of them: the checks count, they do not read.
ZH = [f"测试问题第{i}号" for i in range(45)]
EN = [f"test question number {i}" for i in range(12)]


def flow_file(zh: list[str] = ZH, en: list[str] = EN, flow: str = "every-kind") -> str:
    lines = [f"flow: {flow}", "examples:", "  zh-CN:", *(f"    - {t}" for t in zh), "  en:",
             *(f"    - {t}" for t in en)]
    return "\n".join(lines) + "\n"


NOT_OURS = "flow: null\nexamples:\n  zh-CN:\n    - {text: 身份证丢了去哪补办, body: police}\n" \
           "    - {text: 今天下不下雨, body: null}\n  en:\n    - {text: where do I renew my passport, body: police}\n"


@pytest.fixture
def pack(make_content: Callable[..., Path]) -> Callable[..., list[str]]:
    """A content folder with the fixture flow, the real referral table and the given
    examples files; returns the problems found in the examples."""

    def check(**files: str) -> list[str]:
        root = make_content(FIXTURES / "flows" / "every-kind.yaml")
        shutil.copy(CONTENT / "referrals.yaml", root / "referrals.yaml")
        folder = root / "search" / "examples"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        report = validate(root, root, LOCALITY, LOCALES)
        return [str(p) for p in report.problems if "search/examples" in p.file]

    return check


def test_good_examples_have_no_problems(pack: Callable[..., list[str]]) -> None:
    assert pack(**{"every-kind.yaml": flow_file(), "not-ours.yaml": NOT_OURS}) == []


@pytest.mark.parametrize(("files", "expected"), [
    ({"no-such-flow.yaml": flow_file(flow="no-such-flow")},
     "content/search/examples/no-such-flow.yaml:1: flow 'no-such-flow' is not in the pack"),
    ({"every-kind.yaml": flow_file(flow="other")},
     "content/search/examples/every-kind.yaml:1: flow 'other' differs from the file name"),
    ({"every-kind.yaml": flow_file(zh=ZH[:44])},
     "content/search/examples/every-kind.yaml:1: 44 zh-CN examples, at least 45 needed"),
    ({"every-kind.yaml": flow_file(en=EN[:3])},
     "content/search/examples/every-kind.yaml:1: 3 en examples, at least 12 needed"),
    ({"every-kind.yaml": flow_file(zh=[*ZH, ZH[3]])},
     "content/search/examples/every-kind.yaml:49: '测试问题第3号' appears twice: keep one"),
    ({"every-kind.yaml": flow_file(zh=[*ZH, "离婚後財產怎麼分"])},
     "content/search/examples/every-kind.yaml:49: '离婚後財產怎麼分': Traditional characters 財產麼 in zh-CN"),
    ({"every-kind.yaml": flow_file(), "not-ours.yaml": NOT_OURS.replace("今天下不下雨", ZH[0])},
     f"content/search/examples/not-ours.yaml:5: '{ZH[0]}' appears twice (also in "
     "content/search/examples/every-kind.yaml): keep one"),
    ({"not-ours.yaml": NOT_OURS.replace("body: police}\n    - {text: 今天", "body: tax_office}\n    - {text: 今天")},
     "content/search/examples/not-ours.yaml:4: '身份证丢了去哪补办': body 'tax_office' is not a referral id"),
    ({"not-ours.yaml": NOT_OURS.replace("{text: 今天下不下雨, body: null}", "今天下不下雨")},
     "content/search/examples/not-ours.yaml:5: '今天下不下雨': a not-ours example needs {text, body}"),
    ({"every-kind.yaml": flow_file().replace("examples:", "exampels:")},
     "content/search/examples/every-kind.yaml:1: 'exampels' is not a known key"),
    ({"every-kind.yaml": "flow: every-kind\nexamples: [\n"},
     "content/search/examples/every-kind.yaml:3: YAML syntax error"),
])
def test_each_problem_names_file_line_and_fix(pack: Callable[..., list[str]], files: dict[str, str],
                                              expected: str) -> None:
    found = pack(**files)
    assert any(p.startswith(expected) for p in found), found


def test_the_examples_schema_file_matches_the_model() -> None:
    from kiosk.flows.schema import examples_schema

    shipped = json.loads((CONTENT / "schema" / "search-examples.schema.json").read_text(encoding="utf-8"))
    assert shipped == examples_schema(), "run: kiosk schema --examples --out content/schema/search-examples.schema.json"


def test_the_compiled_bundle_carries_the_examples_and_they_change_the_version(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    root = make_content(FIXTURES / "flows" / "every-kind.yaml")
    before, _ = load_bundle(root, LOCALITY)
    (root / "search" / "examples").mkdir(parents=True)
    (root / "search" / "examples" / "every-kind.yaml").write_text(flow_file(), encoding="utf-8")
    bundle, problems = load_bundle(root, LOCALITY)
    assert bundle is not None and before is not None and not problems
    assert bundle.version != before.version
    (tmp_path / "b.json").write_bytes(compile_bundle(bundle))
    served = read_compiled(tmp_path / "b.json")
    assert served.examples is not None
    assert served.examples.flows["every-kind"].texts("zh-CN") == ZH
