from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.update_phone_numbers_data import UpdatePhoneNumbersData


T = TypeVar("T", bound="UpdatePhoneNumbersResponse")


@_attrs_define
class UpdatePhoneNumbersResponse:
    """Success envelope of an update.
    Assumption (checked by the contract gate): `success` is exactly `true`, `data` requires `result` and `result`
    requires `updated`.

        Attributes:
            success (bool): Always `true` on success.
            data (UpdatePhoneNumbersData): Payload of the update's success envelope.
    """

    success: bool
    data: UpdatePhoneNumbersData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        success = self.success

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "success": success,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.update_phone_numbers_data import UpdatePhoneNumbersData  # noqa: PLC0415

        d = dict(src_dict)
        success = d.pop("success")

        data = UpdatePhoneNumbersData.from_dict(d.pop("data"))

        update_phone_numbers_response = cls(
            success=success,
            data=data,
        )

        update_phone_numbers_response.additional_properties = d
        return update_phone_numbers_response

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
