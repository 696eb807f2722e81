from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.phone_number import PhoneNumber


T = TypeVar("T", bound="CreatePhoneNumberResult")


@_attrs_define
class CreatePhoneNumberResult:
    """Result of the create.

    Attributes:
        phone_number (PhoneNumber): A phone number as stored.
            Assumption (checked by the contract gate): `id`, `number`, `workspaceId`, `userId`, `createdAt` and `updatedAt`
            are always present.
            Its `id` is its own and never changes, a number is unique in its workspace, and `updatedAt` is never before
            `createdAt`.
    """

    phone_number: PhoneNumber
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        phone_number = self.phone_number.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phoneNumber": phone_number,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone_number import PhoneNumber  # noqa: PLC0415

        d = dict(src_dict)
        phone_number = PhoneNumber.from_dict(d.pop("phoneNumber"))

        create_phone_number_result = cls(
            phone_number=phone_number,
        )

        create_phone_number_result.additional_properties = d
        return create_phone_number_result

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
