"""The check for English on form screens finds it, and only where no person typed it."""

from tests.e2e.english import english_words
from tests.e2e.fake_api import Call

FORM_BUTTONS = {"inline_keyboard": [[{"text": "◀️ Назад", "callback_data": "f:rep:back:"}]]}


def _screen(text: str, *, buttons=FORM_BUTTONS, method: str = "editMessageText") -> Call:
    return Call(0, method, {"text": text, "reply_markup": buttons}, chat_id=1, ok=True)


def test_an_english_word_on_a_form_screen_is_found():
    leaks = english_words([_screen("Тым ұзын. Please try again, or /cancel.")])
    assert [leak.split(" in ")[0] for leak in leaks] == ["'Please'", "'try'", "'again'"]


def test_an_english_button_label_is_found():
    buttons = {"inline_keyboard": [[{"text": "Skip", "callback_data": "f:rep:skip:"}]]}
    assert english_words([_screen("Шаг 1 из 9", buttons=buttons)])


def test_an_english_press_answer_is_found():
    call = Call(0, "answerCallbackQuery", {"text": "This button is not valid."}, ok=True)
    assert english_words([call])


def test_links_commands_markup_and_what_people_typed_are_not_english():
    text = (
        '<b>Ссылки:</b> <a href="https://x.kz">instagram.com/p/abc</a> #НИК2025 /cancel '
        "Название: Round table"
    )
    assert english_words([_screen(text)], people_wrote=["Round table"]) == []


def test_messages_outside_forms_are_left_to_other_checks():
    assert english_words([_screen("Hello", buttons={}, method="sendMessage")]) == []
