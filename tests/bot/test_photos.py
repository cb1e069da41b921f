"""Photos are checked by their content and come out without any EXIF or GPS data."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from bot.photos import MAX_PHOTO_BYTES, PhotoRefused, clean_photo
from tests.helpers.reports import image_bytes

GPS_IFD = 0x8825


@pytest.mark.parametrize(
    ("kind", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_real_photos_are_cleaned_of_exif_and_gps(kind: str, mime: str) -> None:
    original = image_bytes(kind, size=(64, 48))
    before = Image.open(io.BytesIO(original)).getexif()
    assert GPS_IFD in before  # the test image really carries a position

    photo = clean_photo(original)

    assert photo.mime == mime
    cleaned = Image.open(io.BytesIO(photo.data))
    assert cleaned.format == kind
    assert dict(cleaned.getexif()) == {}
    assert cleaned.getexif().get_ifd(GPS_IFD) == {}
    assert "exif" not in cleaned.info
    assert b"Camille" not in photo.data
    # The orientation was applied before the EXIF went: 64×48 turned a quarter.
    assert (photo.width, photo.height) == (48, 64) == cleaned.size


def test_photo_without_exif_keeps_its_size() -> None:
    photo = clean_photo(image_bytes("PNG", size=(30, 20), gps=False))
    assert (photo.width, photo.height) == (30, 20)


def test_a_png_with_transparency_stays_a_png() -> None:
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG")
    photo = clean_photo(out.getvalue())
    assert Image.open(io.BytesIO(photo.data)).mode == "RGBA"


def refusal(data: bytes) -> str:
    with pytest.raises(PhotoRefused) as caught:
        clean_photo(data)
    assert caught.value.message == str(caught.value)
    return caught.value.message


def test_text_renamed_as_a_photo_is_refused() -> None:
    assert "n’est pas une photo" in refusal(b"Ceci est un fichier texte, pas une photo.\n" * 20)


def test_empty_file_is_refused() -> None:
    assert "n’est pas une photo" in refusal(b"")


def test_truncated_jpeg_is_refused() -> None:
    whole = image_bytes("JPEG", size=(400, 300), gps=False)
    assert "abîmée ou incomplète" in refusal(whole[: len(whole) // 2])


def test_gif_is_refused() -> None:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    assert "JPEG, PNG ou WebP" in refusal(out.getvalue())


def bomb_png(width: int, height: int) -> bytes:
    """A valid PNG of one grey colour that declares huge dimensions, compressed tiny."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x80" * width
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_refused() -> None:
    data = bomb_png(20_000, 20_000)
    assert len(data) < 1_000_000  # 400 million pixels in a small file
    assert "démesurément grande" in refusal(data)


def test_image_just_over_the_pixel_limit_is_refused() -> None:
    # 7000×6000 = 42 Mpx: under Pillow's own bomb warning, over ours.
    assert "démesurément grande" in refusal(bomb_png(7000, 6000))


def test_file_over_ten_megabytes_is_refused() -> None:
    data = image_bytes("JPEG", gps=False)
    big = data + b"\x00" * (11 * 1024 * 1024 - len(data))
    assert len(big) > MAX_PHOTO_BYTES
    assert "10 Mo" in refusal(big)
