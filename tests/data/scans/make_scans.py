#!/usr/bin/env python3
"""Regenerates the scan-ingest test inputs in this folder (src/ingest/image.rs and pdf.rs tests).

Needs: pillow, img2pdf, pikepdf (pip), qpdf and LibreOffice (apt). Every page carries the same
asymmetric marks so that the tests can check orientation: a black block near the top-left
corner and a red block near the bottom-right one.
"""
import os
import subprocess
import tempfile

import img2pdf
import pikepdf
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def page(w=600, h=800, mode="RGB", bg="white"):
    im = Image.new(mode, (w, h), bg)
    d = ImageDraw.Draw(im)
    # Black block top-left: x 40..140, y 40..120 (scaled for small pages).
    sx, sy = w / 600, h / 800
    d.rectangle([40 * sx, 40 * sy, 140 * sx, 120 * sy], fill="black")
    if mode == "RGB":
        d.rectangle([w - 140 * sx, h - 120 * sy, w - 40 * sx, h - 40 * sy], fill="red")
    # A few ruled lines, as on a form.
    for y in range(200, 700, 100):
        d.line([40 * sx, y * sy, w - 40 * sx, y * sy], fill="black", width=2)
    return im


# JPEG, JFIF density 300 dpi.
page().save(path("page_300dpi.jpg"), quality=40, dpi=(300, 300))
# CMYK JPEG (Adobe marker, as Photoshop and some scanners write it).
page(120, 160).convert("CMYK").save(path("cmyk.jpg"), quality=60)
# Grey PNG with pHYs 150 dpi.
page(mode="L").save(path("grey.png"), dpi=(150, 150), optimize=True)
# Three-page grey TIFF, each page a different background level so that order is checkable.
pages = [page(200, 260, mode="L", bg=v) for v in (60, 140, 220)]
pages[0].save(path("three_pages.tif"), save_all=True, append_images=pages[1:], compression="tiff_lzw", dpi=(200, 200))
# Bilevel CCITT G4 TIFF at 300 dpi.
page(mode="1").save(path("bilevel_g4.tif"), compression="group4", dpi=(300, 300))
# 8-bit palette TIFF.
page(120, 160).convert("P", palette=Image.ADAPTIVE, colors=8).save(path("palette.tif"), compression="tiff_lzw", dpi=(100, 100))

# PDFs as a scanner's software (img2pdf: the image data unchanged) writes them.
A4 = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
with open(path("dct_rotate90.pdf"), "wb") as f:
    # --rotation 90 sets the page's /Rotate 90: viewers turn the page clockwise.
    f.write(img2pdf.convert(path("page_300dpi.jpg"), rotation=img2pdf.Rotation["90"]))
with open(path("flate_grey.pdf"), "wb") as f:
    # A PNG goes in as FlateDecode with a PNG predictor.
    f.write(img2pdf.convert(path("grey.png")))
with open(path("g4.pdf"), "wb") as f:
    # A G4 TIFF goes in as CCITTFaxDecode, K -1.
    f.write(img2pdf.convert(path("bilevel_g4.tif")))
small = []
with tempfile.TemporaryDirectory() as tmp:
    for i, bg in enumerate(("white", "#d0d0d0")):
        p = os.path.join(tmp, f"p{i}.jpg")
        page(300, 400, bg=bg).save(p, quality=40, dpi=(100, 100))
        small.append(p)
    with open(path("two_pages.pdf"), "wb") as f:
        f.write(img2pdf.convert(small, layout_fun=img2pdf.get_fixed_dpi_layout_fun((100, 100))))

    # Encrypted: a user password (cannot be opened) and an owner password only (opens without one).
    subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--", path("two_pages.pdf"), path("encrypted.pdf")], check=True)
    subprocess.run(["qpdf", "--encrypt", "", "owner", "256", "--", path("two_pages.pdf"), path("owner_only.pdf")], check=True)

    # A text-only PDF, as Word's or LibreOffice's "save as PDF" writes it.
    txt = os.path.join(tmp, "text_only.txt")
    with open(txt, "w") as f:
        f.write("formscan test page\n\nA digital PDF page with text and no image.\n")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", tmp, txt], check=True, capture_output=True)
    with pikepdf.open(os.path.join(tmp, "text_only.pdf")) as pdf:
        pdf.save(path("text_only.pdf"), compress_streams=True)

# Colour and depth variants, 120 × 160, each checked for the same marks.
small_rgb = page(120, 160)
small_rgb.save(path("variant_jpeg_ycbcr.tif"), compression="jpeg", dpi=(100, 100))
small_rgb.convert("CMYK").save(path("variant_cmyk.tif"), compression="tiff_lzw", dpi=(100, 100))
page(120, 160, mode="L").convert("I;16").point(lambda v: v * 257).save(path("variant_grey16.tif"), compression="tiff_adobe_deflate", dpi=(100, 100))
page(120, 160, mode="L").convert("I;16").point(lambda v: v * 257).save(path("variant_grey16.png"), dpi=(100, 100))
# Transparent paper (black underneath): must come out white, not black.
rgba = Image.new("RGBA", small_rgb.size, (0, 0, 0, 0))
rgba.paste(small_rgb, mask=small_rgb.convert("L").point(lambda v: 0 if v == 255 else 255))
rgba.save(path("variant_rgba.png"), dpi=(100, 100))
small_rgb.convert("P", palette=Image.ADAPTIVE, colors=4).save(path("variant_palette.png"), dpi=(100, 100))
small_rgb.save(path("variant_progressive.jpg"), quality=60, progressive=True, dpi=(100, 100))
