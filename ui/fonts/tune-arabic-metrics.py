#!/usr/bin/python3
"""Derives the kiosk's Arabic screen font from Debian's Noto Sans Arabic (fonts-noto-core).

Noto Sans Arabic declares a line of 2.1 em (ascent 1374, descent 738 per 1000): room for any
stack of marks, but on a 1024x600 panel a three-line Arabic paragraph takes the height of five
Latin lines, and the confirmation's next steps fall off the screen. Noto's own "Arabic UI"
variant uses Latin metrics (1.36 em), but Debian's build of it breaks the joining after a
haraka ("تُفرَغ" drawn as "تُفرَ غ"). So this keeps the regular font's outlines and shaping and
only declares a 1.6 em line (ascent 1100, descent 500: marks above and below the tallest and
deepest letters still fit), under its own family name, so that it is never mistaken for the
system's unmodified font. Licence: SIL OFL 1.1 (Noto declares no Reserved Font Name).

Run: tune-arabic-metrics.py /usr/share/fonts/truetype/noto/NotoSansArabic-{Regular,Bold}.ttf
(python3-fonttools); writes NotoSansArabicKiosk-{Regular,Bold}.ttf next to this script.
"""
import os
import sys

from fontTools.ttLib import TTFont

ASCENT, DESCENT = 1100, 500
FAMILY = "Noto Sans Arabic Kiosk"

here = os.path.dirname(os.path.abspath(__file__))
for path in sys.argv[1:]:
    font = TTFont(path)
    style = "Bold" if "Bold" in os.path.basename(path) else "Regular"
    hhea, os2 = font["hhea"], font["OS/2"]
    hhea.ascent, hhea.descent, hhea.lineGap = ASCENT, -DESCENT, 0
    os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap = ASCENT, -DESCENT, 0
    os2.usWinAscent, os2.usWinDescent = ASCENT, DESCENT
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} {style}" if style != "Regular" else FAMILY
        elif record.nameID == 6:
            record.string = f"NotoSansArabicKiosk-{style}"
        elif record.nameID == 3:
            record.string = f"{FAMILY} {style}; derived from Noto Sans Arabic"
    font.save(os.path.join(here, f"NotoSansArabicKiosk-{style}.ttf"))
