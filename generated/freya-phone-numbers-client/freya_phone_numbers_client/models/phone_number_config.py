from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.capabilities import Capabilities
    from ..models.sip_inbound import SipInbound
    from ..models.sip_outbound import SipOutbound


T = TypeVar("T", bound="PhoneNumberConfig")


@_attrs_define
class PhoneNumberConfig:
    """Configuration of the number.

    Attributes:
        capabilities (Capabilities | Unset): What the number can do.
        voice_config (str | Unset): Voice configuration of the number.
        messaging_config (str | Unset): Messaging configuration of the number.
        emergency_calls (bool | Unset): Whether the number may place emergency calls.
        inbound_agent_id (UUID | Unset): The agent that answers inbound calls.
        outbound_agent_id (UUID | Unset): The agent that places outbound calls.
        origination_uri (str | Unset): The SIP URI that inbound calls are originated to.
        sip_inbound (SipInbound | Unset): Inbound SIP trunking.
        sip_outbound (SipOutbound | Unset): Outbound SIP trunking.
    """

    capabilities: Capabilities | Unset = UNSET
    voice_config: str | Unset = UNSET
    messaging_config: str | Unset = UNSET
    emergency_calls: bool | Unset = UNSET
    inbound_agent_id: UUID | Unset = UNSET
    outbound_agent_id: UUID | Unset = UNSET
    origination_uri: str | Unset = UNSET
    sip_inbound: SipInbound | Unset = UNSET
    sip_outbound: SipOutbound | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        capabilities: dict[str, Any] | Unset = UNSET
        if not isinstance(self.capabilities, Unset):
            capabilities = self.capabilities.to_dict()

        voice_config = self.voice_config

        messaging_config = self.messaging_config

        emergency_calls = self.emergency_calls

        inbound_agent_id: str | Unset = UNSET
        if not isinstance(self.inbound_agent_id, Unset):
            inbound_agent_id = str(self.inbound_agent_id)

        outbound_agent_id: str | Unset = UNSET
        if not isinstance(self.outbound_agent_id, Unset):
            outbound_agent_id = str(self.outbound_agent_id)

        origination_uri = self.origination_uri

        sip_inbound: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sip_inbound, Unset):
            sip_inbound = self.sip_inbound.to_dict()

        sip_outbound: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sip_outbound, Unset):
            sip_outbound = self.sip_outbound.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if capabilities is not UNSET:
            field_dict["capabilities"] = capabilities
        if voice_config is not UNSET:
            field_dict["voiceConfig"] = voice_config
        if messaging_config is not UNSET:
            field_dict["messagingConfig"] = messaging_config
        if emergency_calls is not UNSET:
            field_dict["emergencyCalls"] = emergency_calls
        if inbound_agent_id is not UNSET:
            field_dict["inboundAgentId"] = inbound_agent_id
        if outbound_agent_id is not UNSET:
            field_dict["outboundAgentId"] = outbound_agent_id
        if origination_uri is not UNSET:
            field_dict["originationUri"] = origination_uri
        if sip_inbound is not UNSET:
            field_dict["sipInbound"] = sip_inbound
        if sip_outbound is not UNSET:
            field_dict["sipOutbound"] = sip_outbound

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.capabilities import Capabilities  # noqa: PLC0415
        from ..models.sip_inbound import SipInbound  # noqa: PLC0415
        from ..models.sip_outbound import SipOutbound  # noqa: PLC0415

        d = dict(src_dict)
        _capabilities = d.pop("capabilities", UNSET)
        capabilities: Capabilities | Unset
        if isinstance(_capabilities, Unset):
            capabilities = UNSET
        else:
            capabilities = Capabilities.from_dict(_capabilities)

        voice_config = d.pop("voiceConfig", UNSET)

        messaging_config = d.pop("messagingConfig", UNSET)

        emergency_calls = d.pop("emergencyCalls", UNSET)

        _inbound_agent_id = d.pop("inboundAgentId", UNSET)
        inbound_agent_id: UUID | Unset
        if isinstance(_inbound_agent_id, Unset):
            inbound_agent_id = UNSET
        else:
            inbound_agent_id = UUID(_inbound_agent_id)

        _outbound_agent_id = d.pop("outboundAgentId", UNSET)
        outbound_agent_id: UUID | Unset
        if isinstance(_outbound_agent_id, Unset):
            outbound_agent_id = UNSET
        else:
            outbound_agent_id = UUID(_outbound_agent_id)

        origination_uri = d.pop("originationUri", UNSET)

        _sip_inbound = d.pop("sipInbound", UNSET)
        sip_inbound: SipInbound | Unset
        if isinstance(_sip_inbound, Unset):
            sip_inbound = UNSET
        else:
            sip_inbound = SipInbound.from_dict(_sip_inbound)

        _sip_outbound = d.pop("sipOutbound", UNSET)
        sip_outbound: SipOutbound | Unset
        if isinstance(_sip_outbound, Unset):
            sip_outbound = UNSET
        else:
            sip_outbound = SipOutbound.from_dict(_sip_outbound)

        phone_number_config = cls(
            capabilities=capabilities,
            voice_config=voice_config,
            messaging_config=messaging_config,
            emergency_calls=emergency_calls,
            inbound_agent_id=inbound_agent_id,
            outbound_agent_id=outbound_agent_id,
            origination_uri=origination_uri,
            sip_inbound=sip_inbound,
            sip_outbound=sip_outbound,
        )

        phone_number_config.additional_properties = d
        return phone_number_config

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
