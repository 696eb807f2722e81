from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.transport_protocol import TransportProtocol
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sip_header import SipHeader


T = TypeVar("T", bound="SipOutbound")


@_attrs_define
class SipOutbound:
    """Outbound SIP trunking.

    Attributes:
        enabled (bool | Unset): Whether outbound SIP is enabled.
        endpoint (str | Unset): Host name of the SIP endpoint.
        port (int | Unset): Port of the SIP endpoint.
        username (str | Unset): SIP user name.
        password (str | Unset): SIP password. A secret; the toolkit never writes it to any output.
        from_domain (str | Unset): Domain used in the SIP From header.
        transport_protocol (TransportProtocol | Unset): SIP transport protocol.
        secure_media (bool | Unset): Whether media is encrypted (SRTP).
        headers (list[SipHeader] | Unset): Extra SIP headers sent on outbound calls.
    """

    enabled: bool | Unset = UNSET
    endpoint: str | Unset = UNSET
    port: int | Unset = UNSET
    username: str | Unset = UNSET
    password: str | Unset = UNSET
    from_domain: str | Unset = UNSET
    transport_protocol: TransportProtocol | Unset = UNSET
    secure_media: bool | Unset = UNSET
    headers: list[SipHeader] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        endpoint = self.endpoint

        port = self.port

        username = self.username

        password = self.password

        from_domain = self.from_domain

        transport_protocol: str | Unset = UNSET
        if not isinstance(self.transport_protocol, Unset):
            transport_protocol = self.transport_protocol.value

        secure_media = self.secure_media

        headers: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = []
            for headers_item_data in self.headers:
                headers_item = headers_item_data.to_dict()
                headers.append(headers_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if endpoint is not UNSET:
            field_dict["endpoint"] = endpoint
        if port is not UNSET:
            field_dict["port"] = port
        if username is not UNSET:
            field_dict["username"] = username
        if password is not UNSET:
            field_dict["password"] = password
        if from_domain is not UNSET:
            field_dict["fromDomain"] = from_domain
        if transport_protocol is not UNSET:
            field_dict["transportProtocol"] = transport_protocol
        if secure_media is not UNSET:
            field_dict["secureMedia"] = secure_media
        if headers is not UNSET:
            field_dict["headers"] = headers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.sip_header import SipHeader  # noqa: PLC0415

        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        endpoint = d.pop("endpoint", UNSET)

        port = d.pop("port", UNSET)

        username = d.pop("username", UNSET)

        password = d.pop("password", UNSET)

        from_domain = d.pop("fromDomain", UNSET)

        _transport_protocol = d.pop("transportProtocol", UNSET)
        transport_protocol: TransportProtocol | Unset
        if isinstance(_transport_protocol, Unset):
            transport_protocol = UNSET
        else:
            transport_protocol = TransportProtocol(_transport_protocol)

        secure_media = d.pop("secureMedia", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: list[SipHeader] | Unset = UNSET
        if _headers is not UNSET:
            headers = []
            for headers_item_data in _headers:
                headers_item = SipHeader.from_dict(headers_item_data)

                headers.append(headers_item)

        sip_outbound = cls(
            enabled=enabled,
            endpoint=endpoint,
            port=port,
            username=username,
            password=password,
            from_domain=from_domain,
            transport_protocol=transport_protocol,
            secure_media=secure_media,
            headers=headers,
        )

        sip_outbound.additional_properties = d
        return sip_outbound

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
