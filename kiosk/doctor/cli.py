"""`kiosk doctor [--json]`: every check, a table (or JSON), exit 1 when anything failed."""

from __future__ import annotations

import argparse
import json
import logging
import textwrap
import unicodedata
from collections.abc import Callable, Sequence

from kiosk.config import KioskConfig
from kiosk.doctor import central, devices, local, voices
from kiosk.doctor.model import Result, Site, fail

log = logging.getLogger(__name__)

Check = Callable[[Site], Result]

CHECKS: tuple[tuple[str, Check], ...] = (
    ("font", local.font),
    ("display", local.display),
    ("audio out", local.audio_out),
    ("speech voices", voices.speech_voices),
    ("microphone", local.microphone),
    ("speech model", local.speech_model),
    ("printer", devices.printer),
    ("ID card reader", devices.idcard),
    ("A4 printer", devices.a4_printer),
    ("central", central.central),
    ("token", central.token),
    ("TUF root and content", central.content),
    ("clock", central.clock),
    ("disk", local.disk),
    ("maintenance PIN", local.maintenance_pin),
    ("config permissions", local.config_permissions),
)

MARK = {"pass": "ok", "warn": "WARN", "fail": "FAIL"}


def run_checks(site: Site, checks: Sequence[tuple[str, Check]] = CHECKS) -> list[Result]:
    """Every check, each on its own: one that breaks is a failure, never the end of the run."""
    results = []
    for name, check in checks:
        try:
            results.append(check(site))
        except Exception as exc:  # a check must not hide the others
            log.debug("check %s raised", name, exc_info=True)
            results.append(
                fail(
                    name,
                    f"the check itself failed: {type(exc).__name__}: {exc}"[:200],
                    (
                        "run `kiosk -v doctor` and report its output",
                        "运行 `kiosk -v doctor`，把输出报给开发方",
                    ),
                )
            )
    return results


#: The table's words in Chinese (JSON keeps the English check names: scripts match on them).
ZH = {
    "font": "字体", "display": "显示", "audio out": "声音输出", "microphone": "麦克风",
    "speech model": "语音模型", "printer": "小票打印机", "ID card reader": "身份证读卡器",
    "A4 printer": "A4 打印机", "central": "中心服务", "token": "终端令牌",
    "TUF root and content": "签名根与内容",
    "clock": "时钟", "disk": "磁盘", "maintenance PIN": "维护密码", "config permissions": "配置文件权限",
}  # fmt: skip
MARK_ZH = {"pass": "正常", "warn": "注意", "fail": "故障"}


def _width(text: str) -> int:
    """Columns on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def table(results: Sequence[Result], width: int = 100, lang: str = "en") -> str:
    zh = lang.startswith("zh")
    names = [ZH.get(r.check, r.check) if zh else r.check for r in results]
    marks = MARK_ZH if zh else MARK
    name_w = max(_width(n) for n in names)
    lines = []
    for r, name in zip(results, names, strict=True):
        lines.append(f"{_pad(marks[r.status], 4)}  {_pad(name, name_w)}  {r.detail}")
        fix = r.fix_in(lang)
        if fix and zh:  # Chinese has no spaces to wrap at: one line
            lines.append(" " * (name_w + 8) + "处理：" + fix)
        elif fix:
            for part in textwrap.wrap("fix: " + fix, width - name_w - 8):
                lines.append(" " * (name_w + 8) + part)
    failed = sum(r.status == "fail" for r in results)
    warned = sum(r.status == "warn" for r in results)
    passed = len(results) - failed - warned
    if zh:
        lines.append(f"共 {len(results)} 项：{passed} 项正常，{warned} 项注意，{failed} 项故障")
    else:
        lines.append(f"{len(results)} checks: {passed} ok, {warned} warning(s), {failed} failed")
    return "\n".join(lines)


def run(args: argparse.Namespace, cfg: KioskConfig, site: Site | None = None) -> int:
    """`site` for tests (system folders of their own); the kiosk itself otherwise."""
    results = run_checks(site or Site(cfg))
    failed = any(r.status == "fail" for r in results)
    if args.json:
        print(
            json.dumps(
                {"ok": not failed, "checks": [r.as_json() for r in results]}, ensure_ascii=False, indent=2
            )
        )
    else:
        print(table(results, lang=getattr(args, "lang", None) or cfg.default_locale))
    return 1 if failed else 0
