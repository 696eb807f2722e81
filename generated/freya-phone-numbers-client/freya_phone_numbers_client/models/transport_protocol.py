from enum import StrEnum


class TransportProtocol(StrEnum):
    TCP = "TCP"
    TLS = "TLS"
    UDP = "UDP"

    def __str__(self) -> str:
        return str(self.value)
