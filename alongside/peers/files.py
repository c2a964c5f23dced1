"""Uploads a peer sends us (a photo, credential evidence, a training certificate) and the
one way they are served back.

An upload is judged by its content, not its name: the first bytes say what it is, Pillow
decodes images to prove they are images, and the name's extension must agree with the
content (a PNG called ``.pdf`` is refused, so what someone downloads later is what its name
promises). Stored names are random, so a file name never carries a person's name or ID
number into the file system. Photos are re-encoded without their metadata: a phone
photo's EXIF can hold the GPS position of a peer's home.

Files live in the ``private`` storage, which has no URL; ``private_file_response`` is the
only way out, and every caller checks who is asking first.
"""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_MAX_BYTES = 2 * 1024 * 1024
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024
# A photo on a card never needs more than this; it also bounds decoding work.
PHOTO_MAX_SIDE = 1024
# Anything beyond this many pixels is refused before decoding (a tiny file can claim a
# gigantic canvas).
MAX_PIXELS = 40_000_000

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"

_EXTENSIONS = {PDF: ("pdf",), JPEG: ("jpg", "jpeg"), PNG: ("png",), WEBP: ("webp",)}
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP"}
_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed its checks, ready to hand to a FileField."""

    content: ContentFile
    original_name: str
    content_type: str


def sniff(head: bytes) -> str | None:
    """The content type the first bytes announce, for the types we accept."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _clean_name(name: str) -> str:
    # Kept only to show the person which file they sent; never used as a path.
    base = os.path.basename(name.replace("\\", "/")).replace("\x00", "").strip()
    return base[:200] or "file"


def _read(upload: UploadedFile, limit: int, kind_label: str) -> bytes:
    size = upload.size or 0
    if size > limit:
        raise ValidationError(
            _("This file is %(size)s MB; the limit for %(kind)s is %(limit)s MB. Choose a smaller file.")
            % {"size": f"{size / 1024 / 1024:.1f}", "kind": kind_label, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("This file is larger than %(limit)s MB. Choose a smaller file.") % {"limit": limit // (1024 * 1024)},
            code="too_large",
        )
    if not data:
        raise ValidationError(_("This file is empty. Choose the file again."), code="empty")
    return data


def _check_extension(name: str, content_type: str) -> None:
    ext = _extension(name)
    if ext and ext not in _EXTENSIONS[content_type]:
        raise ValidationError(
            _(
                "This file is a %(actual)s but its name ends in .%(ext)s. Rename it to end in .%(right)s, "
                "or choose the file you meant."
            )
            % {"actual": _LABELS[content_type], "ext": ext, "right": _EXTENSIONS[content_type][0]},
            code="extension_mismatch",
        )


def _open_image(data: bytes, content_type: str) -> Image.Image:
    """Decode fully (verify() alone misses truncated pixel data) and check the format."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format != _PIL_FORMATS[content_type]:
                raise ValidationError(_("This image could not be read. Choose another file."), code="bad_image")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large (%(w)s × %(h)s pixels). Choose a smaller image.")
                    % {"w": width, "h": height},
                    code="too_many_pixels",
                )
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("This image is damaged or not really an image. Choose another file."), code="bad_image"
        ) from None
    return image


def _random_name(content_type: str) -> str:
    return f"{uuid.uuid4().hex}.{_EXTENSIONS[content_type][0]}"


def check_photo(upload: UploadedFile) -> CheckedFile:
    """A JPEG, PNG or WebP photo of at most 2 MB, re-encoded without metadata."""
    data = _read(upload, PHOTO_MAX_BYTES, _("a photo"))
    content_type = sniff(data[:16])
    if content_type not in _PIL_FORMATS:
        raise ValidationError(_("Choose a JPEG, PNG or WebP photo. This file is not one of those."), code="wrong_type")
    name = _clean_name(upload.name or "")
    _check_extension(name, content_type)
    image = _open_image(data, content_type)
    try:
        image = ImageOps.exif_transpose(image) or image
        image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
        if content_type == JPEG and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        out = io.BytesIO()
        # Saving without exif=/pnginfo drops the metadata (EXIF, GPS, comments).
        image.save(out, format=_PIL_FORMATS[content_type], **({"quality": 88} if content_type != PNG else {}))
    except (OSError, ValueError):
        raise ValidationError(_("This image could not be read. Choose another file."), code="bad_image") from None
    return CheckedFile(ContentFile(out.getvalue(), name=_random_name(content_type)), name, content_type)


def check_document(upload: UploadedFile) -> CheckedFile:
    """A PDF, JPEG or PNG of at most 5 MB (credential evidence, training certificates)."""
    data = _read(upload, DOCUMENT_MAX_BYTES, _("a document"))
    content_type = sniff(data[:16])
    if content_type not in (PDF, JPEG, PNG):
        raise ValidationError(
            _("Choose a PDF, JPEG or PNG file (a scan or a photo of the certificate). This file is not one of those."),
            code="wrong_type",
        )
    name = _clean_name(upload.name or "")
    _check_extension(name, content_type)
    if content_type == PDF:
        # A PDF ends with %%EOF (allowing trailing whitespace or a few bytes of junk).
        if b"%%EOF" not in data[-1024:]:
            raise ValidationError(
                _("This PDF looks incomplete or damaged. Save it again and choose it once more."), code="bad_pdf"
            )
    else:
        _open_image(data, content_type).close()
    return CheckedFile(ContentFile(data, name=_random_name(content_type)), name, content_type)


def private_file_response(
    field: FieldFile, *, content_type: str, download_name: str = "", inline: bool, cache_seconds: int = 0
) -> FileResponse:
    """Serve a private file to someone the caller has already checked, under the name it
    was uploaded with (``download_name``) or, without one, its stored name.

    ``Cache-Control: private`` keeps shared caches out; the sandbox CSP means a document
    opened in the browser can run nothing even if it was crafted to.
    """
    if not field:
        raise Http404
    try:
        handle = field.storage.open(field.name or "", "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        as_attachment=not inline,
        filename=_clean_name(download_name or (field.name or "").rsplit("/", 1)[-1]),
    )
    response["Cache-Control"] = f"private, max-age={cache_seconds}" if cache_seconds else "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response
