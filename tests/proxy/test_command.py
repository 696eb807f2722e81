"""The proxy's command line: safe by default."""

from __future__ import annotations

from phone_contract.cli import build_parser


def test_the_proxy_listens_on_loopback_unless_told_otherwise() -> None:
    parser, _ = build_parser("proxy")
    args = parser.parse_args(["proxy", "--upstream", "https://app.freyavoice.ai/api/v2"])
    assert args.host == "127.0.0.1"


def test_the_mock_listens_on_loopback_unless_told_otherwise() -> None:
    parser, _ = build_parser("mock")
    assert parser.parse_args(["mock"]).host == "127.0.0.1"
