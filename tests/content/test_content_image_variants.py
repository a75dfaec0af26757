"""Image variants through the real app: a box (width x height), fit COVER/CONTAIN, WebP when accepted.

Real images go up through uploadMedia and come back through the URLs variantUrl gives; the sizes,
crops and formats are read from the returned images with Pillow.
"""

from __future__ import annotations

import io
from typing import Any

import httpx
from PIL import Image

import media
from settings import Settings
from tests.content.factories import editor_token, published_lesson, upload_ok
from tests.helpers import GraphQLClient

COVER_URLS = """
query Cover($height: Int, $fit: ImageFit!) {
  lessons(first: 1) { edges { node { coverImage {
    plain: variantUrl(width: 300)
    box: variantUrl(width: 300, height: $height, fit: $fit)
  } } } }
}"""
BAD_SIZE = """query Bad($width: Int!, $height: Int) {
  lessons(first: 1) { edges { node { coverImage { variantUrl(width: $width, height: $height, fit: COVER) } } } }
}"""
WEBP_BROWSER = "image/avif,image/webp,image/apng,image/*,*/*;q=0.8"


def striped(fmt: str, size: tuple[int, int] = (1200, 600)) -> bytes:
    """Red edges and a blue centre square: a centred cover crop of a square shows only blue."""
    image = Image.new("RGB", size, "blue")
    edge = (size[0] - size[1]) // 2
    image.paste((255, 0, 0), (0, 0, edge, size[1]))
    image.paste((255, 0, 0), (size[0] - edge, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, fmt, **({"quality": 95} if fmt == "JPEG" else {}))
    return out.getvalue()


async def cover_urls(gql: GraphQLClient, data: bytes, filename: str, height: int | None, fit: str) -> dict[str, Any]:
    editor = await editor_token()
    cover = await upload_ok(gql, editor, data, filename, title="海报", altText="宣传海报")
    await published_lesson(gql, editor, title="认识毒品", coverImageId=cover["id"])
    found = await gql.ok(COVER_URLS, {"height": height, "fit": fit})
    urls: dict[str, Any] = found["lessons"]["edges"][0]["node"]["coverImage"]
    return {**urls, "sha256": cover["sha256"]}


def varies_by_accept(response: httpx.Response) -> bool:
    return "accept" in {part.strip().lower() for part in response.headers.get("vary", "").split(",")}


def opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def is_red(pixel: Any) -> bool:
    return bool(pixel[0] > 200 and pixel[2] < 60)


def is_blue(pixel: Any) -> bool:
    return bool(pixel[2] > 200 and pixel[0] < 60)


async def test_cover_fills_the_box_with_the_centre_and_sizes_snap(gql: GraphQLClient) -> None:
    urls = await cover_urls(gql, striped("PNG"), "wide.png", 330, "COVER")
    assert urls["plain"].endswith("/w320.png")  # the old form is unchanged
    assert urls["box"].endswith("/w320h320-cover.png")  # 300 x 330 snapped to the allowed sizes
    response = await gql.http.get(urls["box"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = opened(response.content).convert("RGB")
    assert image.size == (320, 320)
    # The red edges were cropped away: every corner is the blue centre.
    for corner in ((0, 0), (319, 0), (0, 319), (319, 319)):
        assert is_blue(image.getpixel(corner)), corner


async def test_contain_keeps_the_whole_picture_inside_the_box(gql: GraphQLClient) -> None:
    urls = await cover_urls(gql, striped("JPEG"), "wide.jpg", 320, "CONTAIN")
    assert urls["box"].endswith("/w320h320-contain.jpg")
    response = await gql.http.get(urls["box"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    image = opened(response.content).convert("RGB")
    assert image.size == (320, 160)  # 2:1 kept, the width is the limit
    assert is_red(image.getpixel((2, 80))) and is_red(image.getpixel((317, 80)))
    assert is_blue(image.getpixel((160, 80)))


async def test_cover_of_a_jpeg_decoded_at_reduced_scale_still_fills_the_box(gql: GraphQLClient) -> None:
    urls = await cover_urls(gql, striped("JPEG", (2400, 1200)), "big.jpg", 640, "COVER")
    response = await gql.http.get(urls["box"].replace("w320h640", "w640h640"))
    assert response.status_code == 200
    image = opened(response.content).convert("RGB")
    assert image.size == (640, 640)
    assert all(is_blue(image.getpixel(xy)) for xy in ((3, 3), (636, 3), (3, 636), (636, 636)))


async def test_a_box_larger_than_the_image_is_never_upscaled(gql: GraphQLClient) -> None:
    urls = await cover_urls(gql, striped("PNG", (300, 150)), "small.png", 1920, "COVER")
    assert urls["box"].endswith("/w320h1920-cover.png")
    cover = opened((await gql.http.get(urls["box"])).content)
    assert cover.size == (25, 150)  # the largest centre crop with the box's 1:6 proportions
    contain = opened((await gql.http.get(urls["box"].replace("-cover", "-contain"))).content)
    assert contain.size == (300, 150)


async def test_webp_only_when_the_client_accepts_it(gql: GraphQLClient, settings: Settings) -> None:
    urls = await cover_urls(gql, striped("PNG"), "wide.png", 320, "COVER")
    webp = await gql.http.get(urls["box"], headers={"Accept": WEBP_BROWSER})
    assert webp.status_code == 200 and webp.headers["content-type"] == "image/webp"
    assert varies_by_accept(webp)
    assert webp.content[:4] == b"RIFF" and webp.content[8:12] == b"WEBP"
    image = opened(webp.content)
    assert image.format == "WEBP" and image.size == (320, 320)

    plain = await gql.http.get(urls["box"], headers={"Accept": "image/*,*/*;q=0.8"})
    assert plain.headers["content-type"] == "image/png" and varies_by_accept(plain)
    assert opened(plain.content).format == "PNG"
    refused = await gql.http.get(urls["box"], headers={"Accept": "image/webp;q=0, image/png"})
    assert refused.headers["content-type"] == "image/png"
    # Each format is its own cached file and its own ETag, so validators never cross formats.
    assert webp.headers["etag"] != plain.headers["etag"]
    again = await gql.http.get(urls["box"], headers={"Accept": WEBP_BROWSER, "If-None-Match": webp.headers["etag"]})
    assert again.status_code == 304 and varies_by_accept(again)
    stored = media.MediaStorage(settings.media_dir).variants_dir(urls["sha256"])
    assert sorted(p.name for p in stored.iterdir()) == ["w320h320-cover.png", "w320h320-cover.webp"]

    width_only = await gql.http.get(urls["plain"], headers={"Accept": WEBP_BROWSER})
    assert width_only.headers["content-type"] == "image/webp" and opened(width_only.content).size == (320, 160)


async def test_bad_sizes_are_refused_with_a_typed_error(gql: GraphQLClient) -> None:
    await cover_urls(gql, striped("PNG"), "wide.png", 320, "COVER")
    for width, height, field in ((320, 0, "height"), (0, 320, "width"), (320, -5, "height")):
        result = await gql(BAD_SIZE, {"width": width, "height": height})
        assert result.status == 200 and result.codes == ["INVALID"], result.body
        assert field in result.errors[0]["message"]
    bad_fit = await gql(BAD_SIZE.replace("COVER", "STRETCH"), {"width": 320, "height": 320})
    assert bad_fit.codes == ["BAD_REQUEST"], bad_fit.body  # not an ImageFit value: refused before running
    assert bad_fit.data is None


async def test_malformed_variant_paths_are_the_one_404(gql: GraphQLClient) -> None:
    urls = await cover_urls(gql, striped("PNG"), "wide.png", 320, "COVER")
    base = urls["box"].rsplit("/", 1)[0]
    for name in ("w320h320-stretch.png", "w320h0-cover.png", "w320h320.png", "w0.png", "w320h320-cover.gif"):
        response = await gql.http.get(f"{base}/{name}")
        assert response.status_code == 404, name
        assert response.headers["cache-control"] == "no-store"


async def test_the_variants_a_client_can_cause_are_bounded(gql: GraphQLClient, settings: Settings) -> None:
    urls = await cover_urls(gql, striped("PNG", (400, 200)), "wide.png", 320, "COVER")
    base = urls["box"].rsplit("/", 1)[0]
    # Thirty different asks land on a handful of files: sizes snap before anything is rendered.
    asks = [(w, h) for w in (150, 161, 170, 299, 330, 350) for h in (150, 159, 165, 300, 340)]
    for width, height in asks:
        response = await gql.http.get(f"{base}/w{width}h{height}-contain.png")
        assert response.status_code == 200
    stored = media.MediaStorage(settings.media_dir).variants_dir(urls["sha256"])
    assert sorted(p.name for p in stored.iterdir()) == [
        "w160h160-contain.png",
        "w160h320-contain.png",
        "w320h160-contain.png",
        "w320h320-contain.png",
    ]
    # Whatever a client asks, one image has at most this many variants (two formats of each).
    names = {
        media.variant_name(w, h, fit)
        for w in range(1, 5000, 7)
        for h in (None, *range(1, 5000, 11))
        for fit in media.FITS
    }
    assert len(names) == len(media.ALLOWED_WIDTHS) * (1 + len(media.ALLOWED_HEIGHTS) * len(media.FITS)) == 78
