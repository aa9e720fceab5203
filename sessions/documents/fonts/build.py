"""How the fonts here were made (run by hand, never at run time; fontTools comes with fpdf2):

    .venv/bin/python sessions/documents/fonts/build.py /usr/share/fonts/truetype/dejavu

DejaVu Sans and DejaVu Sans Bold (Debian's fonts-dejavu-core 2.37), cut down to the scripts
minutes are written in (Latin with its accents, Greek, Cyrillic, Hebrew, Arabic, punctuation,
arrows, boxes and check marks): about a fifth of the full files, which the wheel carries. Their
units per em are set to 1000, as fpdf2 assumes when it places shaped text: at DejaVu's 2048 it
positioned every glyph on its own and a PDF grew fifteen times (helper 21's measurement).
The licence stays in each font (name ID 13) and beside them in LICENSE-DejaVu.txt; a cut-down
font keeps the name DejaVu, which the licence allows (it forbids only Bitstream, Vera, Arev).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem

HERE = Path(__file__).resolve().parent
UNICODES = ("U+0000-024F,U+0250-02FF,U+0300-036F,U+0370-03FF,U+0400-04FF,U+0590-05FF,"
            "U+0600-06FF,U+0750-077F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,U+2100-215F,"
            "U+2190-21FF,U+2200-22FF,U+2500-257F,U+25A0-25FF,U+2610-2612,U+2713-2718,U+2764,U+FB1D-FB4F,"
            "U+FB50-FDFF,U+FE00-FE0F,U+FE70-FEFF,U+FFFD")
FONTS = {"DejaVuSans.ttf": "DejaVuSans-subset.ttf",
         "DejaVuSans-Bold.ttf": "DejaVuSans-Bold-subset.ttf"}


def main(source: Path) -> None:
    for name, target in FONTS.items():
        out = HERE / target
        subset.main([str(source / name), "--layout-features=*", f"--unicodes={UNICODES}",
                     "--name-IDs=*", "--name-legacy", "--name-languages=*",
                     f"--output-file={out}"])
        font = TTFont(out)
        scale_upem(font, 1000)
        font.save(out)
        print(out, out.stat().st_size)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
