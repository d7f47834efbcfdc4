"""A4 forms for real: WeasyPrint typesets each kind's template with Noto Sans CJK, pdftotext
reads the words back, and a private CUPS scheduler prints them to a cups-pdf queue."""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from kiosk.devices.a4printer import CupsA4Printer, NoA4Printer, make_a4_printer
from kiosk.forms.context import FormMeta, form_context
from kiosk.forms.render import FormError, make_form, render_pdf
from kiosk.forms.templates import load_templates
from tests.conftest import CONTENT
from tests.integration import cups_server

PERSON = {"name": "王桂芳", "sex": "女", "ethnicity": "汉", "birth_date": "1961年4月2日",
          "id_number": "110101196104020023", "phone": "13912345678", "address": "示范县城关镇幸福村3组"}
KINDS = {
    "legal-aid.html": ("法律援助申请表", {"request": "帮我讨回工钱", "facts": "在工地干了半年，老板欠工钱一万二。"}),
    "labour-arbitration.html": ("劳动人事争议仲裁申请书",
                                {"employer": "示范建筑有限公司", "employer_rep": "李某 经理", "request": "支付拖欠工资12000元",
                                 "facts": "2026年3月至8月的工资未发。", "evidence": "考勤表、工友证言"}),
    "admin-reconsideration.html": ("行政复议申请书", {"respondent": "示范县某局", "act": "罚款500元", "request": "撤销罚款决定",
                                                 "facts": "罚款决定没有事实依据。"}),
    "mediation.html": ("人民调解申请书", {"respondent": "邻居张某", "facts": "宅前排水沟被堵。",
                                       "request": "恢复排水沟"}),
}


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                     reason="pdftotext not found: apt-get install poppler-utils")


@needs_pdftotext
@pytest.mark.parametrize("name", sorted(KINDS))
def test_each_form_is_an_a4_pdf_whose_text_reads_back(name: str, tmp_path: Path) -> None:
    title, case = KINDS[name]
    meta = FormMeta(title=title, body="示范县公共法律服务中心", code_display="7K3M-9Q2P", date="2026年12月6日",
                    status_url="http://127.0.0.1:8700/a/7K3M9Q2P", decision="7日内作出决定（法律援助法 第四十三条）。")
    form = make_form(load_templates(CONTENT), name, form_context(meta, PERSON, case))
    assert form.pdf.startswith(b"%PDF-") and form.pages >= 1
    text = pdf_text(form.pdf, tmp_path)
    for words in (title, "王桂芳", "13912345678", "7K3M-9Q2P", "示范县公共法律服务中心", *case.values()):
        assert words.replace(" ", "") in text.replace(" ", ""), (name, words)
    # mediation needs no ID number (collect the least): its form has no row for one
    assert ("110101196104020023" in text) == (name != "mediation.html")
    info = subprocess.run(["pdfinfo", str(next(tmp_path.glob("*.pdf")))], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info or "A4" in info
    fonts = subprocess.run(["pdffonts", str(next(tmp_path.glob("*.pdf")))], capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace(" ", "") or "Noto" in fonts, fonts


@needs_pdftotext
def test_a_blank_form_prints_without_anyones_data(tmp_path: Path) -> None:
    form = make_form(load_templates(CONTENT), "legal-aid.html", form_context(FormMeta(title="法律援助申请表")))
    text = pdf_text(form.pdf, tmp_path)
    assert "法律援助申请表" in text and "空白申请表" in text
    assert "王桂芳" not in text and "申请编号" in text


def test_broken_html_still_renders_and_a_bad_template_is_a_form_error() -> None:
    assert render_pdf("<p>未闭合的<b>标签").pdf.startswith(b"%PDF-")
    with pytest.raises(FormError) as caught:
        make_form({"bad.html": "{% if %}"}, "bad.html", {})
    assert caught.value.code == "template_error"


@pytest.fixture(scope="module")
def cups() -> Iterator[cups_server.PrivateCups]:
    yield from cups_server.serve_pdf_queue("KioskA4")


def page_pixels(pdf: Path, stem: Path) -> np.ndarray:
    """Page 1 at 40 dpi, grey, blurred a little: the layout, not the glyph rasteriser's detail."""
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "-f", "1", "-l", "1", "-png", "-singlefile", str(pdf),
                    str(stem)], check=True, capture_output=True)
    image = Image.open(f"{stem}.png").convert("L").filter(ImageFilter.GaussianBlur(2))
    return np.asarray(image, dtype=float).ravel()


def correlation(a: np.ndarray, b: np.ndarray) -> float:
    assert a.shape == b.shape
    return float(np.corrcoef(a, b)[0, 1])


def printed_file(title: str, timeout_s: float = 20) -> Path:
    out = cups_server.pdf_out_dir()
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = sorted(out.glob(f"{title}*.pdf")) if out.exists() else []
        if found and found[0].stat().st_size > 0:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"cups-pdf wrote no {title}*.pdf in {out}")


@needs_pdftotext
def test_a_form_prints_through_cups_to_a_pdf_printer(cups: cups_server.PrivateCups, tmp_path: Path) -> None:
    printer = CupsA4Printer("KioskA4", server=cups.socket)
    assert printer.status().fault is None
    title = f"LA-{uuid.uuid4().hex[:8]}"
    form = make_form(load_templates(CONTENT), "legal-aid.html",
                     form_context(FormMeta(title="法律援助申请表", code_display=title), PERSON, KINDS["legal-aid.html"][1]))
    result = printer.print_pdf(form.pdf, title)
    assert result.printed and result.fault is None and result.job and result.job.startswith("KioskA4-")
    out = printed_file(title)
    try:
        # cups-pdf re-distils through PostScript, which loses the CJK text layer: compare
        # what was printed with what was sent as pictures instead (another form as control).
        sent, other = tmp_path / "sent.pdf", tmp_path / "other.pdf"
        sent.write_bytes(form.pdf)
        other.write_bytes(make_form(load_templates(CONTENT), "mediation.html",
                                    form_context(FormMeta(title="人民调解申请书"))).pdf)
        printed = page_pixels(out, tmp_path / "p")
        assert correlation(printed, page_pixels(sent, tmp_path / "s")) > 0.95
        assert correlation(printed, page_pixels(other, tmp_path / "o")) < 0.8
    finally:
        out.unlink()


def test_printer_faults_are_named(cups: cups_server.PrivateCups) -> None:
    assert CupsA4Printer("NoSuchQueue", server=cups.socket).status().fault == "unknown_printer"
    cups.disable("KioskA4")
    try:
        disabled = CupsA4Printer("KioskA4", server=cups.socket)
        assert disabled.status().fault == "disabled"
        assert disabled.print_pdf(b"%PDF-1.4", "T1") .fault == "disabled"
    finally:
        cups.enable("KioskA4")
    down = CupsA4Printer("KioskA4", server=str(Path(cups.socket).with_name("gone.sock")))
    status = down.status()
    assert status.fault == "cups_down" and not status.answered
    assert down.print_pdf(b"%PDF-1.4", "T2").printed is False


def test_no_a4_printer_configured_means_take_it_home_by_qr() -> None:
    assert isinstance(make_a4_printer({}), NoA4Printer)
    assert make_a4_printer({"printer": ""}).print_pdf(b"", "x").fault == "no_a4_printer"
    assert isinstance(make_a4_printer({"printer": "Office_A4", "server": "/run/cups/cups.sock"}), CupsA4Printer)
    with pytest.raises(ValueError):
        CupsA4Printer("bad name; rm -rf /")
