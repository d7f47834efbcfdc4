"""A QR code drawn from its text: qrcode's module matrix straight into a texture, one texel
a module, scaled up without smoothing. Dark on white. (No PNG in between: encoding and
decoding one, and loading PIL's image plugins the first time, cost an outcome ~90 ms.)"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kivy.graphics.texture import Texture
from kivy.properties import ListProperty, StringProperty
from kivy.uix.image import Image


class QrImage(Image):
    data = StringProperty("")
    bg_color = ListProperty([1, 1, 1, 1])

    def on_data(self, _inst: Any, text: str) -> None:
        if not text:
            self.texture = None
            return
        self.texture = qr_texture(text)


@lru_cache(maxsize=16)
def qr_texture(text: str) -> Texture:
    """One texture per link, shared by every widget showing it: qrcode's mask search is pure
    Python (~15 ms a code), and an outcome shows its link in two places. Forgotten at the
    idle wipe (`forget`): a link may one day carry a booking code."""
    import qrcode

    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    return matrix_texture(qr.get_matrix())


def forget() -> None:
    """The idle wipe: no link of the last resident stays in memory."""
    qr_texture.cache_clear()


DARK, LIGHT = b"\x00\x00\x00\xff", b"\xff\xff\xff\xff"


def matrix_texture(matrix: list[list[bool]]) -> Texture:
    """RGBA (4-byte texels: no row-alignment question for odd sizes); GL rows run bottom-up."""
    size = len(matrix)
    pixels = b"".join(DARK if cell else LIGHT for row in reversed(matrix) for cell in row)
    texture = Texture.create(size=(size, size), colorfmt="rgba")
    texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
    texture.mag_filter = "nearest"
    return texture
