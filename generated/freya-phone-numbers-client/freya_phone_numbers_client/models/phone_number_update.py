from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone_number_config_input import PhoneNumberConfigInput


T = TypeVar("T", bound="PhoneNumberUpdate")


@_attrs_define
class PhoneNumberUpdate:
    """One number to update: its id, and the fields to change.
    Assumption (checked by the contract gate): a field left out keeps its value; `config` takes the same fields as on
    create.

        Attributes:
            id (str): The id of the number, as create answered it.
            number (str | Unset): The new phone number, usually in E.164 form (`+14155551234`).
            friendly_name (str | Unset): A new human-readable name.
            config (PhoneNumberConfigInput | Unset): Configuration to set on create.
                Assumption (checked by the contract gate): it takes the same fields as the `config` of the response, all
                optional, and no others.
    """

    id: str
    number: str | Unset = UNSET
    friendly_name: str | Unset = UNSET
    config: PhoneNumberConfigInput | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        friendly_name = self.friendly_name

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
            }
        )
        if number is not UNSET:
            field_dict["number"] = number
        if friendly_name is not UNSET:
            field_dict["friendlyName"] = friendly_name
        if config is not UNSET:
            field_dict["config"] = config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone_number_config_input import PhoneNumberConfigInput  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number", UNSET)

        friendly_name = d.pop("friendlyName", UNSET)

        _config = d.pop("config", UNSET)
        config: PhoneNumberConfigInput | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = PhoneNumberConfigInput.from_dict(_config)

        phone_number_update = cls(
            id=id,
            number=number,
            friendly_name=friendly_name,
            config=config,
        )

        return phone_number_update
