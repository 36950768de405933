"""The Digital Post contract: every implementation (the fake and the HTTP client) behaves the same."""

from __future__ import annotations

import pytest

from jobcenter.integrations.digital_post import (
    DigitalPostError,
    DigitalPostLetter,
    DigitalPostUnavailable,
    InvalidLetter,
    RecipientNotConnected,
)
from jobcenter.integrations.digital_post.fake import FakeDigitalPostClient

ANNE = "0101901234"


def summons(key: str = "summons-7f3a", recipient: str = ANNE, **changes) -> DigitalPostLetter:
    fields = {
        "recipient_cpr": recipient,
        "title": "Indkaldelse til jobsamtale",
        "body_text": "Du er indkaldt til jobsamtale mandag den 30. november 2026 kl. 10.00.",
        "idempotency_key": key,
    }
    return DigitalPostLetter(**{**fields, **changes})


def test_a_letter_is_delivered_once_with_a_timezone_aware_receipt(digital_post_client):
    receipt = digital_post_client.send(summons())

    assert receipt.message_id
    assert receipt.accepted_at.tzinfo is not None and receipt.accepted_at.utcoffset() is not None
    assert FakeDigitalPostClient.delivered() == (summons(),)


def test_sending_the_same_key_again_returns_the_first_receipt_and_delivers_nothing_new(digital_post_client):
    first = digital_post_client.send(summons())
    again = digital_post_client.send(summons())

    assert again == first
    assert len(FakeDigitalPostClient.delivered()) == 1


def test_two_letters_with_different_keys_are_both_delivered(digital_post_client):
    first = digital_post_client.send(summons("a"))
    second = digital_post_client.send(summons("b"))

    assert first.message_id != second.message_id
    assert [letter.idempotency_key for letter in FakeDigitalPostClient.delivered()] == ["a", "b"]


def test_a_pdf_arrives_unchanged(digital_post_client):
    pdf = b"%PDF-1.7\n\x00\xff binary"

    digital_post_client.send(summons(pdf=pdf))

    assert FakeDigitalPostClient.delivered()[0].pdf == pdf


def test_a_citizen_not_connected_gets_nothing_and_the_message_says_paper_without_the_cpr(digital_post_client):
    FakeDigitalPostClient.register_not_connected(ANNE)

    with pytest.raises(RecipientNotConnected) as raised:
        digital_post_client.send(summons())

    assert isinstance(raised.value, DigitalPostError)
    assert "papirpost" in raised.value.message
    assert ANNE not in str(raised.value)
    assert FakeDigitalPostClient.delivered() == ()


def test_digital_post_being_down_is_unavailable_and_a_later_retry_delivers_once(digital_post_client):
    FakeDigitalPostClient.set_unavailable(True)
    with pytest.raises(DigitalPostUnavailable) as raised:
        digital_post_client.send(summons())
    assert ANNE not in str(raised.value)

    FakeDigitalPostClient.set_unavailable(False)
    digital_post_client.send(summons())
    digital_post_client.send(summons())

    assert len(FakeDigitalPostClient.delivered()) == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"recipient_cpr": "123"}, "CPR-nummer"),
        ({"title": "  "}, "titel"),
        ({"body_text": "", "pdf": None}, "hverken tekst eller PDF"),
        ({"idempotency_key": ""}, "idempotensnøgle"),
    ],
)
def test_an_incomplete_letter_is_refused_before_anything_is_sent(digital_post_client, changes, words):
    with pytest.raises(InvalidLetter) as raised:
        digital_post_client.send(summons(**changes))

    assert words in raised.value.message
    assert isinstance(raised.value, ValueError)
    assert FakeDigitalPostClient.delivered() == ()
