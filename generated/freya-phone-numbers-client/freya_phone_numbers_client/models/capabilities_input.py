from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CapabilitiesInput")


@_attrs_define
class CapabilitiesInput:
    """What the number can do.

    Attributes:
        voice (str | Unset): Voice capability of the number.
        sms (bool | Unset): Whether the number can send and receive SMS.
    """

    voice: str | Unset = UNSET
    sms: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        voice = self.voice

        sms = self.sms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if voice is not UNSET:
            field_dict["voice"] = voice
        if sms is not UNSET:
            field_dict["sms"] = sms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        voice = d.pop("voice", UNSET)

        sms = d.pop("sms", UNSET)

        capabilities_input = cls(
            voice=voice,
            sms=sms,
        )

        return capabilities_input
