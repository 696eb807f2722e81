from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone_number_config_input import PhoneNumberConfigInput


T = TypeVar("T", bound="CreatePhoneNumberRequest")


@_attrs_define
class CreatePhoneNumberRequest:
    """The phone number to create.
    Assumption (checked by the contract gate): the body is closed, no field beyond these is accepted.

        Attributes:
            number (str): The phone number, usually in E.164 form (`+14155551234`).
            workspace_id (UUID): The workspace that owns the number.
            user_id (UUID): The user who creates the number.
            friendly_name (str | Unset): A human-readable name for the number.
            config (PhoneNumberConfigInput | Unset): Configuration to set on create.
                Assumption (checked by the contract gate): it takes the same fields as the `config` of the response, all
                optional, and no others.
    """

    number: str
    workspace_id: UUID
    user_id: UUID
    friendly_name: str | Unset = UNSET
    config: PhoneNumberConfigInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        number = self.number

        workspace_id = str(self.workspace_id)

        user_id = str(self.user_id)

        friendly_name = self.friendly_name

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "number": number,
                "workspaceId": workspace_id,
                "userId": user_id,
            }
        )
        if friendly_name is not UNSET:
            field_dict["friendlyName"] = friendly_name
        if config is not UNSET:
            field_dict["config"] = config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone_number_config_input import PhoneNumberConfigInput  # noqa: PLC0415

        d = dict(src_dict)
        number = d.pop("number")

        workspace_id = UUID(d.pop("workspaceId"))

        user_id = UUID(d.pop("userId"))

        friendly_name = d.pop("friendlyName", UNSET)

        _config = d.pop("config", UNSET)
        config: PhoneNumberConfigInput | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = PhoneNumberConfigInput.from_dict(_config)

        create_phone_number_request = cls(
            number=number,
            workspace_id=workspace_id,
            user_id=user_id,
            friendly_name=friendly_name,
            config=config,
        )

        return create_phone_number_request
