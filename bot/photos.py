"""Residents' photos of street problems: checked by content, re-encoded without EXIF or GPS."""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 Mpx photo is already more than any phone takes
_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_MODES = {"JPEG": ("RGB", "L"), "PNG": ("RGB", "RGBA", "L", "LA"), "WEBP": ("RGB", "RGBA")}


class PhotoRefused(ValueError):
    """A file that is not a photo we keep; `message` says why, in French, for residents."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanPhoto:
    """A photo as stored: re-encoded, orientation applied, no metadata."""

    data: bytes
    mime: str
    width: int
    height: int


_NOT_A_PHOTO = "Ce fichier n’est pas une photo lisible (formats acceptés : JPEG, PNG ou WebP)."
_BROKEN = "Cette photo est abîmée ou incomplète : pouvez-vous la renvoyer ?"
_TOO_BIG = "Cette photo est trop grande (10 Mo au plus) : pouvez-vous en envoyer une plus légère ?"
_TOO_MANY_PIXELS = "Cette image est démesurément grande : envoyez plutôt une photo ordinaire."


def photo_key(photo: CleanPhoto) -> str:
    """The public name of a cleaned photo: its SHA-256, which nobody guesses without the
    image (sequential ids would let anyone walk through every photo)."""
    return hashlib.sha256(photo.data).hexdigest()


def clean_photo(data: bytes) -> CleanPhoto:
    """Check a photo by its content and re-encode it; PhotoRefused when it is not acceptable."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused(_TOO_BIG)
    if not data:
        raise PhotoRefused(_NOT_A_PHOTO)
    # A decompression bomb is an error here, not a warning; truncated files are refused.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(_FORMATS))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoRefused(_TOO_MANY_PIXELS) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise PhotoRefused(_NOT_A_PHOTO) from None
        with image:
            kind = str(image.format)
            if kind not in _FORMATS:
                raise PhotoRefused(_NOT_A_PHOTO)
            if image.width * image.height > MAX_PIXELS:
                raise PhotoRefused(_TOO_MANY_PIXELS)
            return _reencode(image, kind)


def _reencode(image: Image.Image, kind: str) -> CleanPhoto:
    try:
        image.load()
        upright = ImageOps.exif_transpose(image) or image
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoRefused(_TOO_MANY_PIXELS) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise PhotoRefused(_BROKEN) from None
    if upright.mode not in _MODES[kind]:
        has_alpha = "A" in upright.getbands() or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha and kind != "JPEG" else "RGB")
    # A new image holds pixels only: no EXIF, GPS, XMP, comments or text chunks follow it.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, "JPEG", quality=88, optimize=True)
    elif kind == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return CleanPhoto(out.getvalue(), _FORMATS[kind], clean.width, clean.height)
