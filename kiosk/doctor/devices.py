"""Checks of the devices, asked as the app asks them: the thermal printer (DLE EOT), the ID
card reader (the SAM's status), the A4 printer (lpstat)."""

from __future__ import annotations

import os

from kiosk.doctor.model import Result, Site, fail, ok, warn

PRINTER_FIXES = {
    "paper_out": ("load a new paper roll", "换一卷新的打印纸"),
    "cover_open": ("close the printer's cover", "合上打印机的盖子"),
    "cutter_error": (
        "clear the paper jam at the cutter, then switch the printer off and on",
        "清除切刀处卡住的纸，再关开一次打印机",
    ),
    "offline": (
        "the printer says it is offline: check paper and cover, then switch it off and on",
        "打印机报告离线：检查纸和盖子，再关开一次打印机",
    ),
}

A4_FIXES = {
    "cups_down": (
        "start CUPS: systemctl start cups (or check [a4] server)",
        "启动打印服务：systemctl start cups（或检查 [a4] server）",
    ),
    "unknown_printer": (
        "the queue does not exist: lpstat -p lists the queues; add it with lpadmin or fix [a4] printer",
        "没有这个打印队列：lpstat -p 列出已有队列；用 lpadmin 添加，或改正 [a4] printer",
    ),
    "disabled": (
        "the queue is stopped (often after a paper jam): fix the printer, then cupsenable {name}",
        "打印队列已停止（常因卡纸）：修好打印机后运行 cupsenable {name}",
    ),
    "not_accepting": (
        "the queue refuses jobs: cupsaccept {name}",
        "打印队列拒收任务：运行 cupsaccept {name}",
    ),
    "timeout": (
        "CUPS did not answer in time: systemctl restart cups",
        "打印服务没有及时应答：systemctl restart cups",
    ),
}


def printer(site: Site) -> Result:
    from kiosk.devices.select import make_printer

    p = site.cfg.printer
    if p.kind == "virtual":
        return warn(
            "printer",
            f"virtual printer: slips go to {site.cfg.state_dir / 'slips'}, nothing is printed",
            (
                'set [printer] kind = "serial" and port = "/dev/kiosk-printer"',
                '设置 [printer] kind = "serial" 和 port = "/dev/kiosk-printer"',
            ),
        )
    if not os.path.exists(p.port):
        return fail(
            "printer",
            f"no port {p.port}",
            (
                "plug the printer in and switch it on; check its udev rule "
                "(PRINTER_USB_VENDOR / PRINTER_USB_PRODUCT in the installer, "
                "`udevadm info -q all -n ttyUSB0`)",
                "接好打印机并开机；检查 udev 规则（安装脚本里的 PRINTER_USB_VENDOR / PRINTER_USB_PRODUCT，"
                "`udevadm info -q all -n ttyUSB0`）",
            ),
        )
    status = make_printer(site.cfg).status()
    fault = status.fault
    if fault is None:
        if status.paper == "near_end":
            return warn(
                "printer",
                f"{p.port}: online, paper near its end",
                ("put a new paper roll in soon", "尽快换一卷新纸"),
            )
        return ok("printer", f"{p.port}: online, paper ok")
    if not status.answered:
        return fail(
            "printer",
            f"{p.port}: no answer ({fault})",
            (
                f"switch the printer on; check the cable and that [printer] profile {p.profile!r} "
                "has the printer's baud rate",
                f"打开打印机；检查连线，并确认 [printer] profile {p.profile!r} 的波特率与打印机一致",
            ),
        )
    return fail(
        "printer",
        f"{p.port}: {fault}",
        PRINTER_FIXES.get(fault, ("switch the printer off and on", "关开一次打印机")),
    )


def idcard(site: Site) -> Result:
    from kiosk.devices.idcard_config import IdCardConfig, make_idcard_reader

    settings = IdCardConfig.from_config(site.cfg)
    if not settings.port:
        return warn(
            "ID card reader",
            "none configured: residents type their ID number",
            (
                'if the kiosk has a reader, set [idcard] port = "/dev/kiosk-idcard"',
                '本机有读卡器的话，设置 [idcard] port = "/dev/kiosk-idcard"',
            ),
        )
    if settings.port != "fake" and not os.path.exists(settings.port):
        return fail(
            "ID card reader",
            f"no port {settings.port}",
            (
                "plug the reader in; check its udev rule (IDCARD_USB_VENDOR / IDCARD_USB_PRODUCT)",
                "接好读卡器；检查 udev 规则（IDCARD_USB_VENDOR / IDCARD_USB_PRODUCT）",
            ),
        )
    reader = make_idcard_reader(site.cfg)
    try:
        reason = reader.unavailable()
    finally:
        reader.close()
    if reason is not None:
        return fail(
            "ID card reader",
            f"{settings.port}: {reason}",
            (
                f"check the reader's power and cable; its speed must match [idcard] baud ({settings.baud})",
                f"检查读卡器的电源和连线；它的速率要与 [idcard] baud（{settings.baud}）一致",
            ),
        )
    return ok("ID card reader", f"{settings.port}: the SAM module answers")


def a4_printer(site: Site) -> Result:
    from kiosk.devices.a4printer import NoA4Printer, make_a4_printer

    section = site.cfg.extra.get("a4", {})
    made = make_a4_printer(dict(section) if isinstance(section, dict) else {})
    if isinstance(made, NoA4Printer):
        return warn(
            "A4 printer",
            "none configured: application forms go home by QR code",
            (
                "if the kiosk has an A4 printer, set [a4] printer to its CUPS queue name",
                "本机有 A4 打印机的话，把 [a4] printer 设为它的 CUPS 队列名",
            ),
        )
    status = made.status()
    if status.fault is None:
        return ok("A4 printer", f"CUPS queue {made.name} ready")
    en, zh = A4_FIXES.get(
        status.fault, ("check the printer in CUPS (lpstat -t)", "在 CUPS 里检查打印机（lpstat -t）")
    )
    fix = (en.format(name=made.name), zh.format(name=made.name))
    return fail("A4 printer", f"{made.name}: {status.fault} {status.detail}".strip(), fix)
