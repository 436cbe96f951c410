"""Every message in the code and templates is translated into French and Arabic."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import idara
from idara.i18n import catalogue_paths

PACKAGE = Path(idara.__file__).parent
METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2")]
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
OPTIONS = {"**/templates/**.html": {"trimmed": "true"}}


def extracted_messages() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        METHODS,
        keywords={"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)},
        options_map=OPTIONS,
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_messages_are_found_in_code_and_templates() -> None:
    messages = extracted_messages()
    assert "Page not found" in messages  # from Python (errors.py)
    assert "Skip to main content" in messages  # from a template


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_message_has_a_translation(lang: str) -> None:
    translated = set()
    for path in catalogue_paths(lang):
        with path.open("rb") as handle:
            catalog = read_po(io.BytesIO(handle.read()), locale=lang)
        # A plural message's id is (singular, plural); extraction yields the singular.
        translated |= {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in catalog
            if m.id and m.string and (isinstance(m.string, str) or all(m.string)) and not m.fuzzy
        }
    missing = sorted(extracted_messages() - translated)
    assert missing == [], f"run `pybabel update` and translate: {missing}"


def test_translations_keep_their_placeholders() -> None:
    for path in [p for lang in ("fr", "ar") for p in catalogue_paths(lang)]:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id or not isinstance(message.id, str):
                continue
            wanted = set(PLACEHOLDER.findall(message.id))
            assert set(PLACEHOLDER.findall(message.string)) == wanted, (path, message.id)
