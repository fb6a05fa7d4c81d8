"""Exact money: ``Decimal`` in major units in memory, INTEGER minor units at rest.

Every conversion goes through this module so that no amount ever passes through a binary float.
The minor units are the ISO 4217 list one "minor unit" column (DESIGN.md section 15).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 list one: code -> minor unit (number of decimals). Funds and historic codes still
# in circulation are included; codes whose minor unit is "N.A." (gold, SDR, test codes ...)
# are listed in NO_MINOR_UNIT and refused as a portfolio currency.
_MINOR_UNITS_TEXT = """
AED 2 AFN 2 ALL 2 AMD 2 ANG 2 AOA 2 ARS 2 AUD 2 AWG 2 AZN 2 BAM 2 BBD 2 BDT 2 BGN 2 BHD 3 BIF 0
BMD 2 BND 2 BOB 2 BOV 2 BRL 2 BSD 2 BTN 2 BWP 2 BYN 2 BZD 2 CAD 2 CDF 2 CHE 2 CHF 2 CHW 2 CLF 4
CLP 0 CNY 2 COP 2 COU 2 CRC 2 CUC 2 CUP 2 CVE 2 CZK 2 DJF 0 DKK 2 DOP 2 DZD 2 EGP 2 ERN 2 ETB 2
EUR 2 FJD 2 FKP 2 GBP 2 GEL 2 GHS 2 GIP 2 GMD 2 GNF 0 GTQ 2 GYD 2 HKD 2 HNL 2 HTG 2 HUF 2 IDR 2
ILS 2 INR 2 IQD 3 IRR 2 ISK 0 JMD 2 JOD 3 JPY 0 KES 2 KGS 2 KHR 2 KMF 0 KPW 2 KRW 0 KWD 3 KYD 2
KZT 2 LAK 2 LBP 2 LKR 2 LRD 2 LSL 2 LYD 3 MAD 2 MDL 2 MGA 2 MKD 2 MMK 2 MNT 2 MOP 2 MRU 2 MUR 2
MVR 2 MWK 2 MXN 2 MXV 2 MYR 2 MZN 2 NAD 2 NGN 2 NIO 2 NOK 2 NPR 2 NZD 2 OMR 3 PAB 2 PEN 2 PGK 2
PHP 2 PKR 2 PLN 2 PYG 0 QAR 2 RON 2 RSD 2 RUB 2 RWF 0 SAR 2 SBD 2 SCR 2 SDG 2 SEK 2 SGD 2 SHP 2
SLE 2 SLL 2 SOS 2 SRD 2 SSP 2 STN 2 SVC 2 SYP 2 SZL 2 THB 2 TJS 2 TMT 2 TND 3 TOP 2 TRY 2 TTD 2
TWD 2 TZS 2 UAH 2 UGX 0 USD 2 USN 2 UYI 0 UYU 2 UYW 4 UZS 2 VED 2 VES 2 VND 0 VUV 0 WST 2 XAF 0
XCD 2 XCG 2 XOF 0 XPF 0 YER 2 ZAR 2 ZMW 2 ZWG 2 ZWL 2
"""
MINOR_UNITS: dict[str, int] = {
    code: int(digits)
    for code, digits in zip(_MINOR_UNITS_TEXT.split()[::2], _MINOR_UNITS_TEXT.split()[1::2])
}
NO_MINOR_UNIT = frozenset("XAG XAU XBA XBB XBC XBD XDR XPD XPT XSU XTS XUA XXX".split())


MAX_MINOR = 2**63 - 1  # SQLite's INTEGER range


class MoneyError(ValueError):
    """An amount or currency that cannot be held exactly."""


def minor_unit(currency: str) -> int:
    """Decimals of ``currency``; raises :class:`MoneyError` for a code without a minor unit."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        if currency in NO_MINOR_UNIT:
            raise MoneyError(f"currency {currency} has no minor unit, so it cannot hold money") from None
        raise MoneyError(f"{currency!r} is not an ISO 4217 currency code") from None


def parse_decimal(value: object) -> Decimal:
    """An exact decimal from text, an int or a Decimal. Floats are refused: they are not exact."""
    if isinstance(value, bool) or isinstance(value, float):
        raise MoneyError(f"{value!r} is not an exact decimal")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"{value!r} is not a number") from None
    else:
        raise MoneyError(f"{value!r} is not a number")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite number")
    return result


def to_minor(amount: Decimal, currency: str) -> int:
    """Major-unit ``amount`` as integer minor units; more decimals than the currency has is an error."""
    digits = minor_unit(currency)
    scaled = amount.scaleb(digits)
    if scaled != scaled.to_integral_value():
        raise MoneyError(f"{amount} has more decimals than {currency} allows ({digits})")
    if abs(scaled) > MAX_MINOR:
        raise MoneyError(f"{amount} is too large to hold")
    return int(scaled)


def from_minor(minor: int, currency: str) -> Decimal:
    """Integer minor units as a major-unit Decimal with exactly the currency's decimals."""
    digits = minor_unit(currency)
    return Decimal(minor).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def round_money(amount: float | int | Decimal, currency: str) -> Decimal:
    """Round half-even to the currency's minor unit (presentation only); never a negative zero."""
    digits = minor_unit(currency)
    exact = amount if isinstance(amount, Decimal) else Decimal(amount)
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def money_text(amount: Decimal) -> str:
    """Plain decimal text of a rounded amount, no exponent (``'1234.50'``, ``'0'`` for JPY)."""
    return format(amount, "f")


def format_money(amount: Decimal, currency: str) -> str:
    """Human form with thousands separators and the code: ``'GBP 1,234,567.89'``."""
    digits = minor_unit(currency)
    rounded = round_money(amount, currency)
    return f"{currency} {rounded:,.{digits}f}"
