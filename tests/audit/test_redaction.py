import logging

from jobcenter.audit.logging import RedactCprFilter
from jobcenter.audit.redaction import redact_cpr


def test_cpr_numbers_with_and_without_dash_are_redacted():
    assert redact_cpr("borger 010190-1234 og 0202852345") == "borger [CPR] og [CPR]"


def test_longer_numbers_are_left_alone():
    assert redact_cpr("konto 12345678901234") == "konto 12345678901234"


def test_a_log_line_and_its_traceback_never_carry_a_cpr_number():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "opslag på %s fejlede", ("0101901234",), None)
    try:
        raise ValueError("ukendt CPR 010190-1234")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    RedactCprFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "0101901234" not in text
    assert "010190-1234" not in text
    assert "[CPR]" in text


def test_an_id_whose_hex_digits_hold_ten_digits_in_a_row_is_not_a_cpr_number():
    citizen = "636916d3-0528-4e07-9bac-5671427661f3"
    assert redact_cpr(f"borger {citizen} søgt på 010190-1234") == f"borger {citizen} søgt på [CPR]"
    assert redact_cpr("a1b2c3d45671427661f3a1b2c3d4e5f6") == "a1b2c3d45671427661f3a1b2c3d4e5f6"
    assert redact_cpr("kode-0101901234") == "kode-[CPR]"
