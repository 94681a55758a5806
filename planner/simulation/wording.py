"""How a simulation's figures are named, alike in the terminal (`plan.plan_text`) and on the Schedule page.

Each hour's figure pools every help-seeker of all simulated weeks (served within the target wait over all who came:
the long-run share a target is judged on); its median and band are of each week's own figure for the hour. The two
differ in kind: when an hour is served in full in nearly every week and badly in a few busy ones, the pooled figure
(99%) lies below a band of 100%-100%, which read as a contradiction while the figure was called a "mean" beside
"bands". Shares are fractions; `band_level` a fraction (0.9 = the middle 90% of weeks).
"""

from __future__ import annotations

POOLED = "all weeks pooled"
"""The hour's figure: every help-seeker of all simulated weeks together."""
MEDIAN = "median week"
"""The middle week's own figure for the hour: always inside the band."""


def band_name(band_level: float) -> str:
    """"middle 90% of weeks": the band's name for `band_level` 0.9."""
    return f"middle {band_level:.0%} of weeks"


def figures_sentence(replications: int, band_level: float) -> str:
    """What each hour's figures are, in one sentence, for the header of the terminal's table and the page's
    caption alike."""
    return (f"Each hour's figure is {POOLED} (every help-seeker of the {replications:,} simulated weeks together, "
            f"as the targets are judged); the {MEDIAN} and the {band_name(band_level)} are of each week's own figure, "
            f"so a few much worse weeks can put the pooled figure outside that range")
