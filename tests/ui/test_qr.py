"""The outcome's QR code: the texture holds qrcode's module matrix exactly, the right way up."""

from __future__ import annotations

import qrcode

from tests.ui.conftest import Driver

URL = "https://ggfw.example.gov.cn/o/legal-aid/o_apply?l=zh-CN"


def test_the_qr_texture_is_the_module_matrix_dark_on_white(ui: Driver) -> None:
    from kiosk.ui.widgets.qr import QrImage

    # WHEN a QR widget is given the phone link
    image = QrImage(data=URL)
    # THEN every texel is its module: dark where qrcode says dark, rows bottom-up as GL reads
    expected = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    expected.add_data(URL)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    n = len(matrix)
    assert image.texture is not None and tuple(image.texture.size) == (n, n)
    pixels = image.texture.pixels
    drawn = [[pixels[((n - 1 - r) * n + c) * 4] < 128 for c in range(n)] for r in range(n)]
    assert drawn == matrix
    assert image.texture.mag_filter == "nearest"  # sharp modules when scaled up
    # AND no text, no texture
    image.data = ""
    assert image.texture is None


def test_the_idle_wipe_forgets_the_codes_drawn(ui: Driver) -> None:
    from kiosk.ui.widgets.qr import QrImage, qr_texture

    QrImage(data=URL + "&x=1")
    assert qr_texture.cache_info().currsize >= 1
    ui.app.finish()
    assert qr_texture.cache_info().currsize == 0
