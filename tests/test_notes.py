"""The author's-note detector, paragraph by paragraph (all sentences our own)."""

import pytest

from fic2book.read.rules.notes import is_author_note, is_disclaimer, leading_note_count, note_score

NOTES = [
    "Disclaimer: I own nothing but the plot and a very tired cat.",
    "I don't own these characters, sadly.",
    "A/N: Sorry this took so long to update!",
    "Thank you all so much for the lovely reviews on the last chapter!",
    "I only have the next two chapters written, so updates may be slow.",
    "Hope you enjoy it! Please leave a review :)",
    "This was a prompt from a reader on tumblr, and I couldn't resist writing it.",
    "Author's Note: the sequel is posted now, go read it lol",
    "Thanks for reading, everyone. Kudos and comments make my day!",
]
STORY = [
    "The rain had not stopped for three days, and Mira was tired of the sound of it.",
    '"Thank you," she said, and closed the door behind him.',
    "He hoped the letter would reach her before the winter roads closed.",
    "She read the chapter of the old book twice before she understood it.",
    "The review board met at noon; he was late, as always, and his tie was crooked.",
    "Tobin laughed at her and took the lantern from its hook.",
    '"Please," he whispered. "Don\'t go."',
]


@pytest.mark.parametrize("text", NOTES)
def test_author_talking_scores_as_note(text: str) -> None:
    assert is_author_note(text), note_score(text)


@pytest.mark.parametrize("text", STORY)
def test_story_text_does_not_score_as_note(text: str) -> None:
    assert not is_author_note(text), note_score(text)


def test_disclaimer_recognised() -> None:
    assert is_disclaimer("Disclaimer (since I forgot it last time): nothing here is mine.")
    assert is_disclaimer("I do not own the Lantern Courts.")
    assert not is_disclaimer("She did not own a coat, so she borrowed his.")


def test_leading_notes_stop_at_the_first_story_paragraph() -> None:
    paragraphs = [NOTES[3], NOTES[4], STORY[0], NOTES[5]]
    assert leading_note_count(paragraphs) == 2
