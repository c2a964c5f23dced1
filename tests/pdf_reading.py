"""Reading a WeasyPrint PDF in tests without a PDF library.

poppler's ``pdftotext`` is not installed here and pypdf is not a dependency, so
``pdf_text`` reads the PDF itself: it inflates the streams WeasyPrint writes and maps the
glyphs of each text run back to characters through the fonts' ToUnicode tables. That is
enough to prove a member's own words were laid out in the PDF.
"""

from __future__ import annotations

import re
import zlib


def _pdf_objects(pdf: bytes) -> dict[int, bytes]:
    objects = {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S)}
    for body in list(objects.values()):
        if b"/ObjStm" in body:  # objects packed into a compressed object stream
            head, _sep, _rest = body.partition(b"stream")
            data = _pdf_stream(body)
            first = int(re.search(rb"/First (\d+)", head).group(1))  # type: ignore[union-attr]
            numbers = [int(x) for x in data[:first].split()]
            offsets = list(zip(numbers[::2], numbers[1::2], strict=True))
            for index, (number, offset) in enumerate(offsets):
                end = offsets[index + 1][1] if index + 1 < len(offsets) else len(data) - first
                objects[number] = data[first + offset : first + end]
    return objects


def _pdf_stream(body: bytes) -> bytes:
    head, _sep, rest = body.partition(b"stream")
    raw = rest.rsplit(b"endstream", 1)[0].strip(b"\r\n")
    return zlib.decompress(raw) if b"FlateDecode" in head else raw


def _to_unicode(cmap: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(int(dst, 16) + offset)
    return table


def pdf_text(pdf: bytes) -> str:
    objects = _pdf_objects(pdf)
    fonts: dict[bytes, dict[int, str]] = {}
    for body in objects.values():
        font_dicts = re.findall(rb"/Font\s*<<(.*?)>>", body, re.S)
        font_dicts += [objects.get(int(ref), b"") for ref in re.findall(rb"/Font (\d+) 0 R", body)]
        for font_dict in font_dicts:
            for name, ref in re.findall(rb"/([\w.+-]+) (\d+) 0 R", font_dict):
                to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", objects.get(int(ref), b""))
                if to_unicode:
                    fonts[name] = _to_unicode(_pdf_stream(objects[int(to_unicode.group(1))]))
    text: list[str] = []
    for body in objects.values():
        if b"stream" not in body or b"/ObjStm" in body:
            continue
        try:
            content = _pdf_stream(body)
        except zlib.error:
            continue
        if b" Tf" not in content:
            continue  # a font file or a cmap, not a page
        table: dict[int, str] = {}
        for op in re.finditer(rb"/([\w.+-]+) [\d.]+ Tf|\[(.*?)\] ?TJ|<([0-9a-fA-F]*)> ?Tj|(ET)", content, re.S):
            if op.group(1):
                table = fonts.get(op.group(1), {})
            elif op.group(4):
                text.append("\n")
            else:
                runs = re.findall(rb"<([0-9a-fA-F]*)>", op.group(2)) if op.group(2) else [op.group(3)]
                for run in runs:
                    text.extend(table.get(int(run[i : i + 4], 16), "") for i in range(0, len(run), 4))
    return "".join(text)


def pdf_info(pdf: bytes) -> dict[str, object]:
    objects = _pdf_objects(pdf).values()
    info = next(body for body in objects if b"/Producer" in body)
    title = re.search(rb"/Title \((.*?)\)", info)
    boxes = {m.group(1) for body in objects for m in re.finditer(rb"/MediaBox \[([^\]]*)\]", body)}
    return {
        "title": title.group(1).decode() if title else "",
        "pages": sum(1 for body in objects if re.search(rb"/Type /Page\b(?!s)", body)),
        "sizes": {tuple(round(float(n)) for n in box.split()[2:]) for box in boxes},
    }


def joined_words(text: str) -> str:
    # Lines of a paragraph wrap in the PDF; compare words, not line breaks.
    return " ".join(text.split())
