"""The numbers the tent texts (issue 21, item 8): any script's digits, E.164, the allowed countries, and never a
premium-rate or special number."""

import pytest

from queue_app.rules import phone_numbers
from queue_app.rules.errors import ValidationError


@pytest.mark.parametrize("typed, number", [
    ("+49 151 2345678", "+491512345678"),
    ("0049 (151) 234-5678", "+491512345678"),
    ("+٤٩ ١٥١ ٢٣٤٥٦٧٨", "+491512345678"),           # Arabic-Indic digits
    ("+۴۹۱۵۱۲۳۴۵۶۷۸", "+491512345678"),             # Persian (extended Arabic-Indic)
    ("＋４９　１５１　２３４５６７８", "+491512345678"),  # full width, with an ideographic space
    ("+81 90-1234-5678", "+819012345678"),
])
def test_digits_of_any_script_become_one_e164_number(typed, number):
    assert phone_numbers.textable(typed, ()) == number


@pytest.mark.parametrize("typed", [
    "+1 900 555 0100", "+1 976 555 0100", "+44 909 879 0000", "+44 871 234 5678", "+979 123456789",
    "+882 16 1234567", "+870 7712 34567", "+881 6 12345678", "+800 1234 5678", "+49 900 1234567",
    "+49 137 1234567", "+33 8 99 12 34 56", "+34 806 123 456", "+31 900 1234567", "+81 990 123 456",
])
def test_premium_rate_and_special_numbers_are_refused(typed):
    with pytest.raises(ValidationError) as refused:
        phone_numbers.textable(typed, ())
    assert refused.value.field == "phone" and "premium" in str(refused.value.message)


def test_only_the_allowed_countries_are_texted():
    germany = ("DE",)
    assert phone_numbers.textable("+49 151 2345678", germany) == "+491512345678"
    for foreign in ("+44 7700 900123", "+43 664 1234567", "+7 912 345 67 89"):
        with pytest.raises(ValidationError) as refused:
            phone_numbers.textable(foreign, germany)
        assert "this country only" in str(refused.value.message)
    assert phone_numbers.textable("+1 212 555 0123", ("US",)) == "+12125550123"
    with pytest.raises(ValidationError):
        phone_numbers.textable("+1 876 555 0123", ("US",))  # Jamaica shares +1, not the United States
    assert phone_numbers.textable("+44 7624 123456", ("GB",))  # the Isle of Man shares +44


@pytest.mark.parametrize("typed", ["0151 2345678", "+0 123", "call me", "+49 151 2345678 9999999", 4915112345678,
                                   "+49\u00a0151\u00a0" + "1" * 40])
def test_a_number_not_in_international_form_is_refused(typed):
    with pytest.raises(ValidationError):
        phone_numbers.textable(typed, ())


def test_the_setting_names_countries_by_iso_code():
    assert phone_numbers.countries_setting(" de, at,CH ") == ("DE", "AT", "CH")
    assert phone_numbers.countries_setting("") == ()
    with pytest.raises(ValueError, match="XX"):
        phone_numbers.countries_setting("DE, XX")


def test_an_events_country_comes_from_its_time_zone():
    from queue_app.clock import zone_country

    assert [zone_country(name) for name in ("Europe/Berlin", "Asia/Tokyo", "America/New_York", "UTC")] == [
        "DE", "JP", "US", None]
