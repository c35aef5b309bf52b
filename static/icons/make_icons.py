"""Draw the home-screen icons with Pillow: a runner lying on a massage table, white on the app's blue.

Run from the repository root: `.venv/bin/python static/icons/make_icons.py`.
"""

from pathlib import Path

from PIL import Image
from PIL import ImageDraw

HERE = Path(__file__).resolve().parent
BLUE = (0, 61, 153, 255)
WHITE = (255, 255, 255, 255)


def draw(size, safe):
    """One square icon of `size` px; `safe` is the share of the width the drawing may use (maskable: 0.6)."""
    image = Image.new("RGBA", (size, size), BLUE)
    pen = ImageDraw.Draw(image)
    unit = size * safe / 10
    left = (size - 10 * unit) / 2
    top = (size - 10 * unit) / 2

    def box(x0, y0, x1, y1):
        """A rectangle in the 10×10 grid of the safe zone, in pixels."""
        return [left + x0 * unit, top + y0 * unit, left + x1 * unit, top + y1 * unit]

    pen.ellipse(box(0.6, 2.6, 2.6, 4.6), fill=WHITE)  # head
    pen.rounded_rectangle(box(2.9, 3.0, 9.6, 4.6), radius=0.8 * unit, fill=WHITE)  # body
    pen.rounded_rectangle(box(0.2, 5.2, 9.8, 6.2), radius=0.3 * unit, fill=WHITE)  # table top
    pen.rectangle(box(1.2, 6.2, 2.0, 8.8), fill=WHITE)  # legs
    pen.rectangle(box(8.0, 6.2, 8.8, 8.8), fill=WHITE)
    return image


def main():
    """Write every icon the manifest and the staff pages name."""
    draw(192, 0.8).save(HERE / "icon-192.png", optimize=True)
    draw(512, 0.8).save(HERE / "icon-512.png", optimize=True)
    draw(512, 0.6).save(HERE / "icon-maskable-512.png", optimize=True)
    draw(180, 0.8).convert("RGB").save(HERE / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
