from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.create_phone_number_result import CreatePhoneNumberResult


T = TypeVar("T", bound="CreatePhoneNumberData")


@_attrs_define
class CreatePhoneNumberData:
    """Payload of the success envelope.

    Attributes:
        result (CreatePhoneNumberResult): Result of the create.
        message (str | Unset): Human-readable outcome.
    """

    result: CreatePhoneNumberResult
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
        from ..models.create_phone_number_result import CreatePhoneNumberResult  # noqa: PLC0415

        d = dict(src_dict)
        result = CreatePhoneNumberResult.from_dict(d.pop("result"))

        message = d.pop("message", UNSET)

        create_phone_number_data = cls(
            result=result,
            message=message,
        )

        create_phone_number_data.additional_properties = d
        return create_phone_number_data

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
