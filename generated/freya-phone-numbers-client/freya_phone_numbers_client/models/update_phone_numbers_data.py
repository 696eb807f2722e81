from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.update_phone_numbers_result import UpdatePhoneNumbersResult


T = TypeVar("T", bound="UpdatePhoneNumbersData")


@_attrs_define
class UpdatePhoneNumbersData:
    """Payload of the update's success envelope.

    Attributes:
        result (UpdatePhoneNumbersResult): Result of the update.
        message (str | Unset): Human-readable outcome.
    """

    result: UpdatePhoneNumbersResult
    message: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result = self.result.to_dict()

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "result": result,
            }
        )
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_phone_numbers_result import UpdatePhoneNumbersResult  # noqa: PLC0415

        d = dict(src_dict)
        result = UpdatePhoneNumbersResult.from_dict(d.pop("result"))

        message = d.pop("message", UNSET)

        update_phone_numbers_data = cls(
            result=result,
            message=message,
        )

        update_phone_numbers_data.additional_properties = d
        return update_phone_numbers_data

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
