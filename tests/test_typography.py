"""Typography: quotes, elisions, dashes, ellipses, and the repair of mis-curled edges."""

import pytest

from fic2book.model import Emph, Paragraph, Text
from fic2book.typography import smart_quotes, smart_text, smarten_block


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ('"Hello," she said.', "“Hello,” she said."),
        ('She said, "Go."', "She said, “Go.”"),
        ("don't", "don’t"),
        ("'Hi,' he said.", "‘Hi,’ he said."),
        ("give 'em hell", "give ’em hell"),
        ("back in the '90s", "back in the ’90s"),
        ("‘cause I said so", "’cause I said so"),
        ("“Sasha, if—“", "“Sasha, if—”"),
        ("”Wrong way round,” she said.", "“Wrong way round,” she said."),
        ("\"'Quoted' inside\"", "“‘Quoted’ inside”"),
        ("wasn’t", "wasn’t"),
    ],
)
def test_quotes(raw: str, want: str) -> None:
    assert smart_quotes(raw) == want


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("wait--what", "wait—what"),
        ("wait -- what", "wait — what"),
        ("wait---what", "wait—what"),
        ("then – suddenly – rain", "then — suddenly — rain"),
        ("pages 10–12", "pages 10–12"),
        ("well...", "well…"),
        ("well....", "well...."),
        ("a well-known fact", "a well-known fact"),
    ],
)
def test_dashes_and_ellipses(raw: str, want: str) -> None:
    assert smart_text(raw) == want


def test_quotes_curl_across_emphasis() -> None:
    block = Paragraph((Text('"'), Emph((Text("Now"),)), Text('," he said.')))
    out = smarten_block(block)
    assert out == Paragraph((Text("“"), Emph((Text("Now"),)), Text(",” he said.")))
