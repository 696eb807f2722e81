from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phone_number_config import PhoneNumberConfig


T = TypeVar("T", bound="PhoneNumber")


@_attrs_define
class PhoneNumber:
    """A phone number as stored.
    Assumption (checked by the contract gate): `id`, `number`, `workspaceId`, `userId`, `createdAt` and `updatedAt` are
    always present.
    Its `id` is its own and never changes, a number is unique in its workspace, and `updatedAt` is never before
    `createdAt`.

        Attributes:
            id (str): Identifier of the phone number.
            number (str): The phone number, as sent on create.
            workspace_id (str): The workspace that owns the number.
            user_id (str): The user who created the number.
            created_at (datetime.datetime): When the number was created (RFC 3339).
            updated_at (datetime.datetime): When the number was last updated (RFC 3339); never before `createdAt`.
            friendly_name (str | Unset): A human-readable name for the number.
            config (PhoneNumberConfig | Unset): Configuration of the number.
            inbound_agent_name (str | Unset): Name of the inbound agent.
            outbound_agent_name (str | Unset): Name of the outbound agent.
            inbound_agent_entity_type (str | Unset): Kind of entity that answers inbound calls.
            outbound_agent_entity_type (str | Unset): Kind of entity that places outbound calls.
            inbound_agent_workflow_id (str | Unset): Workflow of the inbound agent.
            outbound_agent_workflow_id (str | Unset): Workflow of the outbound agent.
    """

    id: str
    number: str
    workspace_id: str
    user_id: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    friendly_name: str | Unset = UNSET
    config: PhoneNumberConfig | Unset = UNSET
    inbound_agent_name: str | Unset = UNSET
    outbound_agent_name: str | Unset = UNSET
    inbound_agent_entity_type: str | Unset = UNSET
    outbound_agent_entity_type: str | Unset = UNSET
    inbound_agent_workflow_id: str | Unset = UNSET
    outbound_agent_workflow_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        number = self.number

        workspace_id = self.workspace_id

        user_id = self.user_id

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        friendly_name = self.friendly_name

        config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.config, Unset):
            config = self.config.to_dict()

        inbound_agent_name = self.inbound_agent_name

        outbound_agent_name = self.outbound_agent_name

        inbound_agent_entity_type = self.inbound_agent_entity_type

        outbound_agent_entity_type = self.outbound_agent_entity_type

        inbound_agent_workflow_id = self.inbound_agent_workflow_id

        outbound_agent_workflow_id = self.outbound_agent_workflow_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "number": number,
                "workspaceId": workspace_id,
                "userId": user_id,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if friendly_name is not UNSET:
            field_dict["friendlyName"] = friendly_name
        if config is not UNSET:
            field_dict["config"] = config
        if inbound_agent_name is not UNSET:
            field_dict["inboundAgentName"] = inbound_agent_name
        if outbound_agent_name is not UNSET:
            field_dict["outboundAgentName"] = outbound_agent_name
        if inbound_agent_entity_type is not UNSET:
            field_dict["inboundAgentEntityType"] = inbound_agent_entity_type
        if outbound_agent_entity_type is not UNSET:
            field_dict["outboundAgentEntityType"] = outbound_agent_entity_type
        if inbound_agent_workflow_id is not UNSET:
            field_dict["inboundAgentWorkflowId"] = inbound_agent_workflow_id
        if outbound_agent_workflow_id is not UNSET:
            field_dict["outboundAgentWorkflowId"] = outbound_agent_workflow_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.phone_number_config import PhoneNumberConfig  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        workspace_id = d.pop("workspaceId")

        user_id = d.pop("userId")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        friendly_name = d.pop("friendlyName", UNSET)

        _config = d.pop("config", UNSET)
        config: PhoneNumberConfig | Unset
        if isinstance(_config, Unset):
            config = UNSET
        else:
            config = PhoneNumberConfig.from_dict(_config)

        inbound_agent_name = d.pop("inboundAgentName", UNSET)

        outbound_agent_name = d.pop("outboundAgentName", UNSET)

        inbound_agent_entity_type = d.pop("inboundAgentEntityType", UNSET)

        outbound_agent_entity_type = d.pop("outboundAgentEntityType", UNSET)

        inbound_agent_workflow_id = d.pop("inboundAgentWorkflowId", UNSET)

        outbound_agent_workflow_id = d.pop("outboundAgentWorkflowId", UNSET)

        phone_number = cls(
            id=id,
            number=number,
            workspace_id=workspace_id,
            user_id=user_id,
            created_at=created_at,
            updated_at=updated_at,
            friendly_name=friendly_name,
            config=config,
            inbound_agent_name=inbound_agent_name,
            outbound_agent_name=outbound_agent_name,
            inbound_agent_entity_type=inbound_agent_entity_type,
            outbound_agent_entity_type=outbound_agent_entity_type,
            inbound_agent_workflow_id=inbound_agent_workflow_id,
            outbound_agent_workflow_id=outbound_agent_workflow_id,
        )

        phone_number.additional_properties = d
        return phone_number

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
