"""Chinese glyphs everywhere: the OFL-licensed Noto Sans CJK SC font shipped by ``mplfonts``.

:func:`register_cjk_font` makes matplotlib draw Chinese with it (charts are rasterised with
the bundled font, so they look the same on every machine), and :func:`font_face_css`
embeds a subset of the same font in a report, so tables show Chinese even where the
reader's machine has no Chinese font. Nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from functools import cache as memoize
from pathlib import Path

from ..data import cache

FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    """Path of the bundled font file."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} not found in the mplfonts package ({path.parent})")
    return path


@memoize
def register_cjk_font() -> str:
    """Add the font to matplotlib and make it the default sans-serif; return its family name."""
    import matplotlib as mpl
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [FAMILY, "DejaVu Sans"]
    mpl.rcParams["axes.unicode_minus"] = False
    return FAMILY


def font_face_css(text: str, family: str = "PlantrackCJK") -> str:
    """An ``@font-face`` rule with the font subset to the characters of ``text``, as a data URI.

    Subsetting parses the 16 MB font (about 1.4 s), so the result is cached on disk by
    character set: the same characters always give the same bytes. A cached rule is used
    only when its digest matches and it has exactly the shape written here (:func:`is_font_css`).
    """
    chars = "".join(sorted({c for c in text if ord(c) > 0x7F}))
    if not chars:
        return ""
    key = hashlib.sha256(f"{FONT_FILE}:{font_path().stat().st_size}:{family}:{chars}".encode()).hexdigest()[:32]
    cached = cache.read("fonts", f"{key}.css")
    if cached is not None and is_font_css(cached, family):
        return cached.decode("ascii")
    css = _subset_css(chars, family)  # absent, damaged or not what _subset_css writes: made again
    cache.write("fonts", f"{key}.css", css.encode("ascii"))
    return css


_CSS = re.compile(
    rb"@font-face \{ font-family: '(?P<family>[A-Za-z]+)'; font-weight: 400 700; "
    rb"src: url\(data:font/otf;base64,(?P<data>[A-Za-z0-9+/]+={0,2})\) format\('opentype'\); \}"
)


def is_font_css(css: bytes, family: str) -> bool:
    """True when ``css`` is exactly one rule as :func:`_subset_css` writes it, holding an OpenType font.

    The rule goes into every page's ``<style>``: a cached entry that is anything else (a
    ``</style><script>``, another family, a remote URL) is never used.
    """
    m = _CSS.fullmatch(css)
    if m is None or m["family"] != family.encode("ascii"):
        return False
    try:
        head = base64.b64decode(m["data"][:16], validate=True)
    except ValueError:
        return False
    return head.startswith(b"OTTO")


@memoize
def _font_bytes() -> bytes:
    """The font file, read once per process."""
    return font_path().read_bytes()


def preload() -> None:
    """Import the subsetter and read the font now (a renderer does it while its kernel runs: a cold start
    then waits only for the subsetting itself)."""
    from fontTools import subset  # noqa: F401

    _font_bytes()


def _subset_css(chars: str, family: str) -> str:
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = subset.load_font(io.BytesIO(_font_bytes()), options, lazy=True)  # lazy: the same bytes, sooner
    sub = subset.Subsetter(options)
    sub.populate(text=chars)
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{family}'; font-weight: 400 700; "
        f"src: url(data:font/otf;base64,{data}) format('opentype'); }}"
    )
