"""Contains all the data models used in inputs/outputs"""

from .capabilities import Capabilities
from .capabilities_input import CapabilitiesInput
from .create_phone_number_data import CreatePhoneNumberData
from .create_phone_number_request import CreatePhoneNumberRequest
from .create_phone_number_response import CreatePhoneNumberResponse
from .create_phone_number_result import CreatePhoneNumberResult
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .phone_number import PhoneNumber
from .phone_number_config import PhoneNumberConfig
from .phone_number_config_input import PhoneNumberConfigInput
from .phone_number_update import PhoneNumberUpdate
from .sip_header import SipHeader
from .sip_header_input import SipHeaderInput
from .sip_inbound import SipInbound
from .sip_inbound_input import SipInboundInput
from .sip_outbound import SipOutbound
from .sip_outbound_input import SipOutboundInput
from .transport_protocol import TransportProtocol
from .update_phone_numbers_data import UpdatePhoneNumbersData
from .update_phone_numbers_request import UpdatePhoneNumbersRequest
from .update_phone_numbers_response import UpdatePhoneNumbersResponse
from .update_phone_numbers_result import UpdatePhoneNumbersResult

__all__ = (
    "Capabilities",
    "CapabilitiesInput",
    "CreatePhoneNumberData",
    "CreatePhoneNumberRequest",
    "CreatePhoneNumberResponse",
    "CreatePhoneNumberResult",
    "ErrorDetail",
    "ErrorResponse",
    "PhoneNumber",
    "PhoneNumberConfig",
    "PhoneNumberConfigInput",
    "PhoneNumberUpdate",
    "SipHeader",
    "SipHeaderInput",
    "SipInbound",
    "SipInboundInput",
    "SipOutbound",
    "SipOutboundInput",
    "TransportProtocol",
    "UpdatePhoneNumbersData",
    "UpdatePhoneNumbersRequest",
    "UpdatePhoneNumbersResponse",
    "UpdatePhoneNumbersResult",
)
