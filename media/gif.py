"""GIF without metadata, byte for byte otherwise: frames, palettes and timing are copied as they are.

Re-encoding a GIF with Pillow re-quantises every frame (colours shift, files grow), so GIFs are
cleaned at the block level instead: comment extensions and application extensions other than the
looping ones (where XMP and vendor data live) are dropped, and nothing after the trailer is kept.
"""

from typing import BinaryIO, Final

from .errors import UnsupportedFormat

# Application extensions that only say how often to loop; every other one is dropped.
_KEPT_APPLICATIONS: Final = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_EXTENSION: Final = 0x21
_IMAGE: Final = 0x2C
_TRAILER: Final = 0x3B
_GRAPHIC_CONTROL: Final = 0xF9
_PLAIN_TEXT: Final = 0x01
_APPLICATION: Final = 0xFF


def strip(source: BinaryIO, target: BinaryIO) -> None:
    """Copy a GIF from source to target, leaving out comments, application data and trailing bytes."""
    header = _exactly(source, 13)
    if header[:6] not in (b"GIF87a", b"GIF89a"):
        raise UnsupportedFormat("not a GIF")
    target.write(header + _exactly(source, _table_size(header[10])))
    while True:
        introducer = _exactly(source, 1)
        if introducer[0] == _TRAILER:
            target.write(introducer)
            return
        if introducer[0] == _IMAGE:
            descriptor = _exactly(source, 9)
            table = _exactly(source, _table_size(descriptor[8]))
            target.write(introducer + descriptor + table + _exactly(source, 1) + _sub_blocks(source))
        elif introducer[0] == _EXTENSION:
            label = _exactly(source, 1)
            blocks = _sub_blocks(source)
            if _kept(label[0], blocks):
                target.write(introducer + label + blocks)
        else:
            raise UnsupportedFormat("the GIF is damaged")


def _kept(label: int, blocks: bytes) -> bool:
    if label in (_GRAPHIC_CONTROL, _PLAIN_TEXT):
        return True
    return label == _APPLICATION and blocks[:1] == b"\x0b" and blocks[1:12] in _KEPT_APPLICATIONS


def _table_size(packed: int) -> int:
    """Bytes of the colour table a logical screen or image descriptor announces."""
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0


def _sub_blocks(source: BinaryIO) -> bytes:
    """Read data sub-blocks up to and including the zero-length terminator."""
    parts = []
    while True:
        size = _exactly(source, 1)
        parts.append(size)
        if size[0] == 0:
            return b"".join(parts)
        parts.append(_exactly(source, size[0]))


def _exactly(source: BinaryIO, count: int) -> bytes:
    data = source.read(count)
    if len(data) != count:
        raise UnsupportedFormat("the GIF is truncated")
    return data
