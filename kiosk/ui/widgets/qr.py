"""A QR code drawn from its text (qrcode → PNG in memory → texture), dark on white."""

from __future__ import annotations

import io
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.properties import ListProperty, StringProperty
from kivy.uix.image import Image


class QrImage(Image):
    data = StringProperty("")
    bg_color = ListProperty([1, 1, 1, 1])

    def on_data(self, _inst: Any, text: str) -> None:
        if not text:
            self.texture = None
            return
        import qrcode

        qr = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(text)
        qr.make(fit=True)
        buffer = io.BytesIO()
        image: Any = qr.make_image(fill_color="black", back_color="white")
        image.save(buffer, format="PNG")
        buffer.seek(0)
        texture = CoreImage(buffer, ext="png").texture
        texture.mag_filter = "nearest"
        self.texture = texture
