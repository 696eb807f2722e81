"""Where a part of the contract was written: the file and the pointer in it, through ``$ref`` and ``allOf``.

``learn`` edits the spec through this, so a change lands in the component a ``$ref`` names, in the file
that holds it, as the author wrote it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from phone_contract._spec.documents import parse_document, pointer_parts, read_text

if TYPE_CHECKING:
    from phone_contract._spec.model import Spec


class Source:
    """Walks the written documents along a contract pointer, the way the ``resolution.Loader`` read them."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.documents: dict[str, Any] = {spec.uri: spec.raw}

    def find(  # noqa: PLR0911 - one return per way a step can go, in the order the loader takes them
        self, uri: str, at: tuple[str | int, ...], node: Any, rest: tuple[str | int, ...]
    ) -> tuple[str, tuple[str | int, ...]] | None:
        if not rest:
            return uri, at
        key, tail = rest[0], rest[1:]
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not any(str(k) == str(key) for k in node):
                if key == "allOf" and tail[:1] == (0,):
                    # A $ref with siblings became ``allOf: [target]`` in the contract.
                    return self._follow(uri, ref, tail[1:])
                return self._follow(uri, ref, rest)
            # An unquoted status (201) is an int key in YAML, "201" in a pointer.
            written = next((k for k in node if str(k) == str(key)), None)
            if written is not None:
                found = self.find(uri, (*at, written), node[written], tail)
                if found is not None:
                    return found
            parts = node.get("allOf")
            if key != "allOf" and isinstance(parts, list):
                # A merged allOf: the key lives in one of its parts.
                for index, part in enumerate(parts):
                    found = self.find(uri, (*at, "allOf", index), part, rest)
                    if found is not None:
                        return found
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            return self.find(uri, (*at, key), node[key], tail)
        return None

    def _follow(
        self, uri: str, ref: str, rest: tuple[str | int, ...]
    ) -> tuple[str, tuple[str | int, ...]] | None:
        target = urldefrag(uri)[0] + ref if ref.startswith("#") else urljoin(uri, ref)
        document_uri, fragment = urldefrag(target)
        if document_uri not in self.documents:
            if urlsplit(document_uri).scheme != "file":
                return None
            self.documents[document_uri] = parse_document(
                read_text(Path(unquote(urlsplit(document_uri).path)), document_uri), document_uri
            )
        node: Any = self.documents[document_uri]
        at: tuple[str | int, ...] = ()
        for token in pointer_parts(fragment) if fragment else ():
            step: str | int = token
            if isinstance(node, list) and str(step).isdigit():
                step = int(step)
            elif isinstance(node, dict):
                step = next((k for k in node if str(k) == step), step)
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
            at = (*at, step)
        return self.find(document_uri, at, node, rest)
