"""JSON of a large exam decoded and encoded a part at a time, with a turn for the event
loop between parts: msgspec takes 30-150 ms for an 8 MiB exam in one call, and holds the
GIL throughout, so a worker thread would stall the loop just as long (issue 14)."""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, get_args, get_origin

import msgspec
from msgspec import Raw, Struct, structs

from application.loop_turns import LoopTurns

# Smaller bodies decode in well under a millisecond per 64 KiB: one call is cheaper.
LARGE_BODY_BYTES = 64 * 1024
# A response's chunks: large enough that sending them costs little per byte.
CHUNK_BYTES = 256 * 1024


async def decode_in_turns(text: bytes, into: Any) -> Any:
    """`msgspec.json.decode(text, type=into, strict=True)`, but each element of the
    Struct's lists of Structs (an exam's questions) is decoded on its own, so a large
    body never holds the loop for longer than one slice of `LoopTurns`."""
    split = _split(into) if len(text) > LARGE_BODY_BYTES else None
    if split is None:
        return msgspec.json.decode(text, type=into, strict=True)
    head_type, lists = split
    head = msgspec.json.decode(text, type=head_type, strict=True)
    values = structs.asdict(head)
    turns = LoopTurns()
    for name, element in lists.items():
        decoded = []
        for index, raw in enumerate(values[name]):
            try:
                decoded.append(msgspec.json.decode(raw, type=element, strict=True))
            except msgspec.ValidationError as error:
                raise msgspec.ValidationError(_within(str(error), f"{name}[{index}]")) from error
            await turns.take()
        values[name] = decoded
    return into(**values)


async def encode_in_turns(value: Struct, list_field: str) -> list[bytes]:
    """`msgspec.json.encode(value)` in chunks of about `CHUNK_BYTES`, the elements of
    `list_field` (its last field) encoded one at a time; joined, the bytes are the same.
    Chunks, not one body: copying 8 MiB into a fresh allocation alone takes 10-20 ms."""
    head = msgspec.json.encode(structs.replace(value, **{list_field: []}))
    name = next(f.encode_name for f in structs.fields(value) if f.name == list_field)
    if not head.endswith(msgspec.json.encode(name) + b":[]}"):
        raise ValueError(f"{list_field} must be the last field of {type(value).__name__}")
    turns = LoopTurns()
    chunks: list[bytes] = []
    chunk = [head[:-2]]  # up to and with the list's `[`
    size = 0
    for element in getattr(value, list_field):
        encoded = msgspec.json.encode(element)
        if size + len(encoded) > CHUNK_BYTES and len(chunk) > 1:
            chunks.append(b"".join(chunk))
            chunk, size = [], 0
        chunk += (encoded, b",")
        size += len(encoded) + 1
        await turns.take()
    if chunk[-1] == b",":
        chunk.pop()  # the comma after the last element
    chunk.append(b"]}")
    chunks.append(b"".join(chunk))
    return chunks


@cache
def _split(into: Any) -> tuple[type[Struct], dict[str, Any]] | None:
    """A Struct type like `into` whose lists of Structs are lists of raw JSON, and the
    element type of each; None when `into` has no such list."""
    if not (isinstance(into, type) and issubclass(into, Struct)):
        return None
    lists: dict[str, Any] = {}
    fields = []
    for field in structs.fields(into):
        annotation, element = _list_element(field.type)
        if element is not None:
            lists[field.name] = element
            field_type: Any = annotation
        else:
            field_type = field.type
        default: Any = field.default
        if field.default_factory is not msgspec.NODEFAULT:
            default = msgspec.field(default_factory=field.default_factory)
        fields.append((field.name, field_type, default))
    if not lists:
        return None
    config = into.__struct_config__
    head = msgspec.defstruct(
        f"{into.__name__}Head",
        [(n, t) if d is msgspec.NODEFAULT else (n, t, d) for n, t, d in fields],
        kw_only=True,
        forbid_unknown_fields=config.forbid_unknown_fields,
        rename={f.name: f.encode_name for f in structs.fields(into)},
    )
    return head, lists


def _list_element(annotation: Any) -> tuple[Any, Any]:
    """For `list[S]` or `Annotated[list[S], Meta(...)]` with S a Struct: the same with
    `Raw` for S, and S; otherwise (None, None)."""
    metadata: tuple[Any, ...] = ()
    if get_origin(annotation) is Annotated:
        annotation, *rest = get_args(annotation)
        metadata = tuple(rest)
    if get_origin(annotation) is not list:
        return None, None
    (element,) = get_args(annotation)
    if not (isinstance(element, type) and issubclass(element, Struct)):
        return None, None
    raw_list: Any = list[Raw]
    return (Annotated[raw_list, *metadata] if metadata else raw_list), element


def _within(message: str, where: str) -> str:
    # msgspec says "Expected `int`, got `str` - at `$.points`" of the element alone.
    text, at, path = message.partition(" - at `$")
    return f"{text} - at `$.{where}{path if at else '`'}"
