"""Scans and photos of a fiche, read by OCR (Tesseract with its French data).

A fiche printed, filled in and scanned on the copier arrives as a PDF holding only images; a
fiche photographed arrives as a JPEG or PNG. Each page is turned into grey levels, bounded in
size, and given to the `tesseract` program, whose word boxes (TSV output) go through `layout`
like a PDF's text: lines, cells, tables, paragraphs. The usual text and table readers then find
the rubriques; every field read this way carries a warning, since OCR can misread a digit.

Tesseract is called as a program (`tesseract stdin stdout tsv`), not through a wrapper library:
the image goes in on stdin with no temporary file, the subprocess has a hard timeout, and
`OMP_THREAD_LIMIT=1` stops its OpenMP threads, which on two shared cores made a page 4 to 5
times slower.

Bounds, so that a hostile image costs little: at most MAX_PAGES pages, images over MAX_PIXELS
refused before they are decoded, pages scaled down to MAX_SIDE pixels, TIMEOUT seconds per
page. Images too small to hold a page of text (logos, signatures in an HTML mail) are skipped
without a word.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from parsers.attachments.layout import Box, Line, lines_of, read_lines
from parsers.attachments.scanned import NOT_INSTALLED, NOTHING, TOO_BIG, TOO_SLOW, NotRead
from parsers.cells import Grid

MAX_PAGES = 2
#: Refused before decoding: a 48-megapixel phone photo passes, a decompression bomb does not.
MAX_PIXELS = 60_000_000
#: Longest side given to Tesseract: an A4 page at 200 dpi, where 10-point text is 25 pixels
#: high, plenty for Tesseract; more only costs time.
MAX_SIDE = 2400
#: Shortest side and area of an image worth reading: a page photographed or scanned at 100 dpi
#: is over 800 x 1100; a logo or a signature image is far under.
MIN_SIDE = 700
MIN_PIXELS = 900_000
TIMEOUT = 30.0
#: A PDF page is rendered at this resolution (dots per inch) before OCR.
SCAN_DPI = 200
#: Words Tesseract is less sure of than this (0-100) are dropped: borders read as "|" or "_".
MIN_CONFIDENCE = 30
#: Fewer readable words than this on all pages is "nothing usable".
MIN_WORDS = 8
#: A table's borders read as characters.
_BORDER = re.compile(r"^[!|_\[\]{}=~—-]+$")


def _words(page: Image.Image) -> list[Box]:
    """The box of every word Tesseract reads on one page."""
    program = shutil.which("tesseract")
    if program is None:
        raise NotRead(NOT_INSTALLED)
    pixels = io.BytesIO()
    page.save(pixels, "PPM")  # PGM for grey: no compression to spend time on
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run(
            [program, "stdin", "stdout", "-l", "fra", "--psm", "6", "tsv"],
            input=pixels.getvalue(), capture_output=True, timeout=TIMEOUT, env=env, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise NotRead(TOO_SLOW) from exc
    except OSError as exc:
        raise NotRead(NOT_INSTALLED) from exc
    if done.returncode != 0:
        # No French data ("Failed loading language 'fra'") is a missing installation too.
        raise NotRead(NOT_INSTALLED if b"fra" in done.stderr else NOTHING)
    words = []
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) != 12 or cols[0] != "5" or not cols[11].strip():
            continue
        left, top, width, height = (int(c) for c in cols[6:10])
        # A border glued to a word ("|Thomas") is not part of it.
        text = cols[11].strip().strip("|[]_")
        if float(cols[10]) < MIN_CONFIDENCE or not text or _BORDER.match(text):
            continue
        words.append(Box(left, top, left + width, top + height, text))
    return words


def _profile(ink: Image.Image, angle: float) -> float:
    """How sharply the rows of ink stand out once the page is turned by `angle` degrees: the
    variance of the row averages peaks when text lines are level."""
    turned = ink.rotate(angle, resample=Image.Resampling.BILINEAR)
    rows = turned.resize((1, turned.height), Image.Resampling.BOX).tobytes()
    mean = sum(rows) / len(rows)
    return sum((r - mean) ** 2 for r in rows)


def _level(page: Image.Image) -> Image.Image:
    """The page turned so its lines are level: a sheet fed a little crooked into the copier,
    or photographed at an angle, otherwise mixes rows and shifts columns."""
    small = page.copy()
    small.thumbnail((800, 800))
    # The middle of the sheet: the edges of a photographed page, the desk around it, would
    # weigh more than the lines of text.
    w, h = small.size
    small = small.crop((w // 6, h // 8, w * 5 // 6, h * 7 // 8))
    ink = ImageOps.autocontrast(small).point(lambda v: 255 if v < 128 else 0)
    best = max((a / 2 for a in range(-8, 9)), key=lambda a: _profile(ink, a))
    best = max((best + a / 10 for a in range(-4, 5)), key=lambda a: _profile(ink, a))
    if abs(best) < 0.1:
        return page
    return page.rotate(best, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)


def _long_runs(ink: np.ndarray, length: int) -> np.ndarray:
    """The ink pixels that belong to a run of at least `length` along axis 1."""
    height, width = ink.shape
    if width < length:
        return np.zeros_like(ink)
    sums = np.cumsum(np.pad(ink.astype(np.int32), ((0, 0), (1, 0))), axis=1)
    full = (sums[:, length:] - sums[:, :-length]) == length  # windows starting at 0..w-length
    # A pixel is covered when one of the `length` windows that start at or before it is full.
    starts = np.pad(full.astype(np.int32), ((0, 0), (length, length - 1)))
    covered = np.cumsum(starts, axis=1)
    return (covered[:, length:] - covered[:, :-length])[:, :width] > 0


def _unruled(page: Image.Image) -> Image.Image:
    """The page without its table borders. A border touching a cell's text makes Tesseract
    read "|Karim" or nothing at all; once painted over with the paper around it, cells read
    like lines of text. Ink is what is clearly darker than the paper nearby, so a grey scan
    or a photo lit from one side is judged fairly."""
    paper = page.filter(ImageFilter.BoxBlur(20))
    pixels = np.asarray(page, dtype=np.int16)
    ink = pixels < np.asarray(paper, dtype=np.int16) - 40
    lines = _long_runs(ink, max(40, page.width // 20))
    lines |= _long_runs(ink.T, max(40, page.height // 30)).T
    # Widened by two pixels: the grey edge of a blurred border is border too.
    mask = Image.fromarray(lines.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(5))
    return Image.composite(paper, page, mask)


def page_lines(page: Image.Image) -> list[Line]:
    """The lines of one page, rebuilt from the positions of the words Tesseract read."""
    return lines_of(_words(_unruled(_level(page))))


def _prepared(image: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(image) or image
    image = image.convert("L")
    longest = max(image.size)
    if longest > MAX_SIDE:
        size = (image.width * MAX_SIDE // longest, image.height * MAX_SIDE // longest)
        image = image.resize(size, Image.Resampling.LANCZOS)
    return image


def _read(pages: Iterator[Image.Image]) -> tuple[list[Grid], str]:
    grids: list[Grid] = []
    texts: list[str] = []
    words = 0
    for page in pages:
        lines = page_lines(_prepared(page))
        words += sum(len(c.text.split()) for line in lines for c in line.cells)
        page_grids, text = read_lines(lines)
        grids += page_grids
        texts.append(text)
    if words < MIN_WORDS:
        raise NotRead(NOTHING)
    return grids, "\n\n".join(texts)


def is_page_sized(width: int, height: int) -> bool:
    """Big enough to hold a page of text: not a logo, an icon or a signature."""
    return min(width, height) >= MIN_SIDE and width * height >= MIN_PIXELS


def _frames(data: bytes) -> Iterator[Image.Image]:
    try:
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise NotRead(NOTHING) from exc
    if image.width * image.height > MAX_PIXELS:
        raise NotRead(TOO_BIG)
    for index in range(min(getattr(image, "n_frames", 1), MAX_PAGES)):
        image.seek(index)
        # A JPEG can be decoded at a fraction of its size directly: cheaper than resizing.
        image.draft("L", (MAX_SIDE, MAX_SIDE))
        yield image.copy()


def read_photo(data: bytes) -> tuple[list[Grid], str]:
    """A JPEG, PNG or TIFF attachment; nothing at all for an image too small to be a page."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            size = probe.size
    except Image.DecompressionBombError as exc:
        raise NotRead(TOO_BIG) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValueError("not an image Pillow can decode") from exc  # answered as damaged
    if not is_page_sized(*size):
        return [], ""
    return _read(_frames(data))


def _rendered(data: bytes) -> Iterator[Image.Image]:
    document = pdfium.PdfDocument(data)
    try:
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            width, height = page.get_size()
            scale = min(SCAN_DPI / 72, MAX_SIDE / max(width, height, 1.0))
            yield page.render(scale=scale, grayscale=True).to_pil()
    finally:
        document.close()


def read_scan(data: bytes) -> tuple[list[Grid], str]:
    """A PDF whose pages are images: its first pages rendered, then read by OCR."""
    return _read(_rendered(data))
