"""Chinese glyphs everywhere: the OFL-licensed Noto Sans CJK SC font shipped by ``mplfonts``.

:func:`register_cjk_font` makes matplotlib draw Chinese with it (charts are rasterised with
the bundled font, so they look the same on every machine), and :func:`font_face_css`
embeds a subset of the same font in a report, so tables show Chinese even where the
reader's machine has no Chinese font. Nothing is fetched from the network.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

FAMILY = "Noto Sans CJK SC"
FONT_FILE = "NotoSansCJKsc-Regular.otf"


def font_path() -> Path:
    """Path of the bundled font file."""
    import mplfonts

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{FONT_FILE} not found in the mplfonts package ({path.parent})")
    return path


@cache
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
    """An ``@font-face`` rule with the font subset to the characters of ``text``, as a data URI."""
    from fontTools import subset

    chars = {c for c in text if ord(c) > 0x7F}
    if not chars:
        return ""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["DSIG"]
    font = subset.load_font(str(font_path()), options)
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (
        f"@font-face {{ font-family: '{family}'; font-weight: 400 700; "
        f"src: url(data:font/otf;base64,{data}) format('opentype'); }}"
    )
