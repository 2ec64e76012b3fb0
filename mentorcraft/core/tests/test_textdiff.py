from __future__ import annotations

from mentorcraft.core.textdiff import Run, changed, word_diff


def test_words_added_and_removed_keep_the_rest_and_the_line_breaks() -> None:
    runs = word_diff("Meet monthly.\nBe kind.", "Meet every month.\nBe kind.")
    assert runs == [
        Run("same", "Meet "),
        Run("removed", "monthly."),
        Run("added", "every month."),
        Run("same", "\nBe kind."),
    ]
    assert changed(runs)
    assert "".join(r.text for r in runs if r.kind != "removed") == "Meet every month.\nBe kind."


def test_the_same_text_has_no_change() -> None:
    assert not changed(word_diff("Same words.", "Same words."))
    assert word_diff("", "") == []
