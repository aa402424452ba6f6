from xml.etree import ElementTree

import qrcode
from qrcode.image.svg import SvgPathImage


def qr_svg(data: str, *, label: str) -> str:
    """An inline SVG QR code (no image file, no inline style: the stylesheet sizes it)."""
    image = qrcode.make(data, image_factory=SvgPathImage, border=2)
    root = image.get_image()
    # Sized by the stylesheet (.qr), not in millimetres.
    root.attrib.pop("width", None)
    root.attrib.pop("height", None)
    root.set("class", "qr")
    root.set("role", "img")
    root.set("aria-label", label)
    return ElementTree.tostring(root, encoding="unicode")
