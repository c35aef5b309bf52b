"""QR codes for an event's join URL, as SVG and PNG."""

import io

import qrcode
import qrcode.image.svg


def svg(data):
    """An SVG image of a QR code for `data`."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=20, border=4)
    return image.to_string(encoding="unicode")


def png(data):
    """A PNG image of a QR code for `data`."""
    image = qrcode.make(data, box_size=12, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
