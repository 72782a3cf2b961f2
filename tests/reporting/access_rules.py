"""Who may open each reporting page added here (merged into tests/test_url_walk.py)."""

EXPECTED = {
    # The board view: everyone who may read the plan (governance.plan_view).
    "reporting:board": {"coordinator", "chair", "support", "board"},
    # The board pack PDF: the same readers as the board view.
    "reporting:board-pack": {"coordinator", "chair", "support", "board"},
}
