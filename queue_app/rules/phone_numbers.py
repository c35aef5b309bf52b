"""Which phone numbers the tent texts: written in any digits, in international form (E.164), of a country the
event allows, and never a premium-rate or special number (a text to one costs the tent, or earns a stranger).

Pure: the allowed countries come from the caller (the organiser's TEXT_COUNTRIES, else the event's country, read
from its time zone by clock.zone_country)."""

import re
import unicodedata

from .errors import ValidationError
from .words import N_

E164 = re.compile(r"\+[1-9]\d{6,14}")
# What people put between digits: spaces of any kind, dashes, dots, brackets, slashes.
SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212.()/]")

# Country calling codes (ITU-T E.164), by ISO 3166 country. Within +1 and +7 a country is its area codes.
_CODES = """
AD376 AE971 AF93 AG1268 AI1264 AL355 AM374 AO244 AR54 AS1684 AT43 AU61 AW297 AX358 AZ994 BA387 BB1246 BD880 BE32
BF226 BG359 BH973 BI257 BJ229 BL590 BM1441 BN673 BO591 BQ599 BR55 BS1242 BT975 BW267 BY375 BZ501 CA1 CD243 CF236
CG242 CH41 CI225 CK682 CL56 CM237 CN86 CO57 CR506 CU53 CV238 CW599 CY357 CZ420 DE49 DJ253 DK45 DM1767 DO1809,1829,1849
DZ213 EC593 EE372 EG20 ER291 ES34 ET251 FI358 FJ679 FK500 FM691 FO298 FR33 GA241 GB44 GD1473 GE995 GF594 GG44 GH233
GI350 GL299 GM220 GN224 GP590 GQ240 GR30 GT502 GU1671 GW245 GY592 HK852 HN504 HR385 HT509 HU36 ID62 IE353 IL972 IM44
IN91 IQ964 IR98 IS354 IT39 JE44 JM1876,1658 JO962 JP81 KE254 KG996 KH855 KI686 KM269 KN1869 KP850 KR82 KW965 KY1345
KZ76,77 LA856 LB961 LC1758 LI423 LK94 LR231 LS266 LT370 LU352 LV371 LY218 MA212 MC377 MD373 ME382 MF590 MG261 MH692
MK389 ML223 MM95 MN976 MO853 MP1670 MQ596 MR222 MS1664 MT356 MU230 MV960 MW265 MX52 MY60 MZ258 NA264 NC687 NE227
NG234 NI505 NL31 NO47 NP977 NR674 NU683 NZ64 OM968 PA507 PE51 PF689 PG675 PH63 PK92 PL48 PM508 PR1787,1939 PS970
PT351 PW680 PY595 QA974 RE262 RO40 RS381 RU7 RW250 SA966 SB677 SC248 SD249 SE46 SG65 SI386 SK421 SL232 SM378 SN221
SO252 SR597 SS211 ST239 SV503 SX1721 SY963 SZ268 TC1649 TD235 TG228 TH66 TJ992 TL670 TN216 TO676 TR90 TT1868 TV688
TW886 TZ255 UA380 UG256 US1 UY598 UZ998 VA379 VC1784 VE58 VG1284 VI1340 VN84 VU678 WF681 WS685 YE967 YT262 ZA27
ZM260 ZW263
"""
CALLING_CODES = {entry[:2]: tuple(entry[2:].split(",")) for entry in _CODES.split()}
_COUNTRY_OF_CODE = {}
for _country, _codes in CALLING_CODES.items():
    for _code in _codes:
        _COUNTRY_OF_CODE.setdefault(_code, _country)  # a shared code (+44, +590) goes to the first; see country_of

# Numbers no text should go to, as E.164 digits they start with: the international premium and shared-cost
# services, satellite and global networks; and each country's premium-rate, shared-cost, personal and directory
# ranges where runners of the languages we speak come from (texts to them cost the sender or never arrive).
SPECIAL_PREFIXES = (
    "800", "808", "870", "878", "881", "882", "883", "888", "979", "991",
    "1900", "1976",                                               # NANP premium
    "449", "4484", "4487", "4470", "44118",                        # United Kingdom: 09, 084, 087, 070, 118
    "49900", "49137", "49180", "49118", "49700", "4919",           # Germany
    "338",                                                        # France: 08
    "3480", "3490", "34118",                                      # Spain: 80x, 90x, 118
    "31900", "31906", "31909", "3184", "3187",                    # Netherlands: 0900, 0906, 0909, 084, 087
    "3290", "3270", "3278",                                       # Belgium: 090x, 070, 078
    "4390", "4393", "4381", "4382",                               # Austria: 090x, 093x, 081x, 082x
    "4190", "4184",                                               # Switzerland: 090x, 084x
    "3989", "39178",                                              # Italy: 89x, 178
    "81990", "81570", "81180", "81120", "81800",                  # Japan: Dial Q2, Navi Dial, free dial
    "35290",                                                      # Luxembourg: 90x
)

INTERNATIONAL = N_("Type your mobile number with its country code, e.g. +49 151 2345678.")


def ascii_digits(value):
    """`value` with full-width forms folded (NFKC) and every decimal digit of any script (Arabic-Indic ٠١٢,
    Persian ۰۱۲, Devanagari ०१२) written as an ASCII digit; other characters as they are."""
    folded = unicodedata.normalize("NFKC", value)
    return "".join(str(unicodedata.decimal(ch)) if not ch.isascii() and unicodedata.decimal(ch, None) is not None
                   else ch for ch in folded)


def e164(value):
    """A number as E.164 (+, country code, number): digits of any script, separators dropped, 00 for +; else
    ValidationError on `phone`."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(INTERNATIONAL, field="phone")
    number = SEPARATORS.sub("", ascii_digits(value))
    if number.startswith("00"):
        number = "+" + number[2:]
    if not E164.fullmatch(number):
        raise ValidationError(INTERNATIONAL, field="phone")
    return number


def country_of(number):
    """The ISO country an E.164 number is of (the longest calling code it starts with), or None for codes of no
    country (+800, +882, +979...)."""
    digits = number.lstrip("+")
    for length in (4, 3, 2, 1):
        country = _COUNTRY_OF_CODE.get(digits[:length])
        if country is not None:
            return country
    return None


def codes_of(countries):
    """Every calling code (as digits) of these ISO countries; a country sharing its code (GB, GG, JE, IM) brings
    the others with it."""
    return {code for country in countries for code in CALLING_CODES.get(country, ())}


def textable(value, countries):
    """The E.164 number a runner typed, if the tent may text it: international form, not a premium or special
    range, of one of `countries` (ISO codes; empty: any country). ValidationError on `phone` otherwise."""
    number = e164(value)
    digits = number[1:]
    if digits.startswith(SPECIAL_PREFIXES) or country_of(number) is None:
        raise ValidationError(N_("The tent does not text this number (a premium-rate or special number). Type "
                                 "your mobile number."), field="phone")
    if countries:
        code = max((c for c in _COUNTRY_OF_CODE if digits.startswith(c)), key=len)
        if code not in codes_of(countries):
            raise ValidationError(N_("The tent texts mobile numbers of this country only. Keep this page open: it "
                                     "rings when you are called."), field="phone")
    return number


def countries_setting(text):
    """The ISO countries of a TEXT_COUNTRIES setting ("DE, AT, CH"); ValueError naming an unknown one."""
    countries = tuple(part.strip().upper() for part in (text or "").split(",") if part.strip())
    unknown = [country for country in countries if country not in CALLING_CODES]
    if unknown:
        raise ValueError(f"TEXT_COUNTRIES: {', '.join(unknown)} is not a country code (ISO 3166, e.g. DE, GB, US)")
    return countries
