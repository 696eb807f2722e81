from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.phone_number_update import PhoneNumberUpdate


T = TypeVar("T", bound="UpdatePhoneNumbersRequest")


@_attrs_define
class UpdatePhoneNumbersRequest:
    """The numbers to update, all in one workspace.
    Assumption (checked by the contract gate): the body is closed, and each id appears once.

        Attributes:
            workspace_id (UUID): The workspace that owns every number named.
            phone_numbers (list[PhoneNumberUpdate]): One item per number to update.
    """

    workspace_id: UUID
    phone_numbers: list[PhoneNumberUpdate]

    def to_dict(self) -> dict[str, Any]:
        workspace_id = str(self.workspace_id)

        phone_numbers = []
        for phone_numbers_item_data in self.phone_numbers:
            phone_numbers_item = phone_numbers_item_data.to_dict()
            phone_numbers.append(phone_numbers_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "workspaceId": workspace_id,
                "phoneNumbers": phone_numbers,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone_number_update import PhoneNumberUpdate  # noqa: PLC0415

        d = dict(src_dict)
        workspace_id = UUID(d.pop("workspaceId"))

        phone_numbers = []
        _phone_numbers = d.pop("phoneNumbers")
        for phone_numbers_item_data in _phone_numbers:
            phone_numbers_item = PhoneNumberUpdate.from_dict(phone_numbers_item_data)

            phone_numbers.append(phone_numbers_item)

        update_phone_numbers_request = cls(
            workspace_id=workspace_id,
            phone_numbers=phone_numbers,
        )

        return update_phone_numbers_request
