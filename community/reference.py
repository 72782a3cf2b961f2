"""The community reference data: tension themes, the tension scale and platforms.

Seeded by migration 0002_seed_reference; `ensure_reference_data` puts back any missing
row (for example after a test database is flushed). Editable later through the admin.
"""

THEMES = [
    "Migration and small-boat crossings",
    "Asylum accommodation",
    "Covid-19",
    "Antisemitism",
    "Anti-Muslim hatred",
    "Extreme right-wing activity",
    "Middle East conflict",
    "Other",
]

LEVELS = [
    (1, "Low", "Background levels of online comment; nothing local stands out."),
    (2, "Moderate", "Some local comment on a theme; no sign of offline activity."),
    (3, "Elevated", "Sustained local comment, calls to gather or targeted content."),
    (4, "High", "Planned or likely offline activity, or threats against a community."),
]

PLATFORMS = ["X/Twitter", "Facebook", "Telegram", "TikTok", "YouTube", "Local forums", "Other"]


def ensure_reference_data(theme_model=None, level_model=None, platform_model=None) -> None:
    """Create any missing theme, level or platform. Models may be historical ones."""
    if theme_model is None:
        from community.models import Platform, TensionLevel, Theme

        theme_model, level_model, platform_model = Theme, TensionLevel, Platform
    for order, name in enumerate(THEMES, start=1):
        theme_model.objects.get_or_create(name=name, defaults={"sort_order": order})
    for rank, name, description in LEVELS:
        level_model.objects.get_or_create(
            rank=rank, defaults={"name": name, "description": description}
        )
    for order, name in enumerate(PLATFORMS, start=1):
        platform_model.objects.get_or_create(name=name, defaults={"sort_order": order})
