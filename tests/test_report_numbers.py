"""The report's numbers as a trainer reads them: whole-number score ranges when every score is
whole, and one rounding rule for every percentage (halves up)."""
from autograder.commands.report import percent, score_bins


def test_whole_scores_get_whole_ranges():
    assert [b["label"] for b in score_bins([0, 3, 10], 10, "de")] == [str(n) for n in range(11)]
    bins = score_bins([0, 2, 3, 25, 24], 25, "de")
    assert [b["label"] for b in bins] == ["0–2", "3–5", "6–8", "9–11", "12–14", "15–17", "18–20", "21–23", "24–25"]
    assert [b["count"] for b in bins] == [2, 1, 0, 0, 0, 0, 0, 0, 2]
    assert all("," not in b["label"] and "." not in b["label"] for b in bins)


def test_fractional_scores_keep_fractional_ranges():
    bins = score_bins([0.5, 12.5, 25], 25, "de")
    assert sum(b["count"] for b in bins) == 3 and any("," in b["label"] for b in bins)


def test_percentages_round_halves_up_everywhere():
    assert [percent(p, 8) for p in (5, 7, 1)] == [63, 88, 13]   # 62.5, 87.5, 12.5
    assert percent(1, 3) == 33 and percent(2, 3) == 67 and percent(0, 0) == 0
