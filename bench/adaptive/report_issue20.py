"""The classification and constraint sections of the report, with their targets."""

from collections.abc import Sequence

from bench.adaptive.classification import ClassificationConfig, ClassificationRow
from bench.adaptive.constraints import SHARES, ConstraintConfig, ConstraintRow


def _table(header: Sequence[str], lines: Sequence[Sequence[str]]) -> str:
    rows = [header, ["---"] * len(header), *lines]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in rows)


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def render_issue20(
    classification: ClassificationConfig,
    sprt: Sequence[ClassificationRow],
    constraint: ConstraintConfig,
    constrained: Sequence[ConstraintRow],
) -> str:
    c = classification
    sprt_lines = [
        [
            f"±{r.indifference}", str(r.outside), f"{r.accuracy:.1%}", f"{r.undecided:.1%}",
            f"{r.mean_length:.1f}",
            "none ≤ " + str(c.fixed_max) if r.fixed_length is None else str(r.fixed_length),
            f"{r.fixed_accuracy:.1%}",
            "—" if r.length_ratio is None else f"{r.length_ratio:.0%}",
        ]
        for r in sprt
    ]  # fmt: skip
    constraint_lines = [
        [
            r.test, str(r.tests), f"{r.content_met} ({r.content_met / r.tests:.0%})",
            f"{r.enemies_kept} ({r.enemies_kept / r.tests:.0%})", f"{r.max_exposure:.3f}",
            f"{r.rmse:.3f}", f"{r.mean_length:.1f}",
        ]
        for r in constrained
    ]  # fmt: skip
    targets = [
        [
            f"SPRT ±{r.indifference}: ≥ 95 % correct outside the region, mean length ≤ 60 %"
            " of the fixed test of the same accuracy",
            f"{r.accuracy:.1%}, {r.mean_length:.1f} vs {r.fixed_length or '>' + str(c.fixed_max)}"
            f" items",
            _met(r.accuracy >= 0.95 and (r.length_ratio is None or r.length_ratio <= 0.6)),
        ]
        for r in sprt
    ] + [
        [
            f"enemies and content targets met in 100 % of simulated tests, {r.test}",
            f"{r.enemies_kept} and {r.content_met} of {r.tests}",
            _met(r.enemies_kept == r.tests == r.content_met),
        ]
        for r in constrained
    ]  # fmt: skip
    areas = ", ".join(f"{a} {s:.0%}" for a, s in SHARES.items())
    return "\n".join([
        "## Classification tests (SPRT)", "",
        f"- {c.examinees} examinees theta ~ N(0, 1), cut 0, bank {c.bank_size} (seed"
        f" {c.seed} + size), alpha = beta = {c.alpha}; SPRT: items most informative at the"
        f" cut, max {c.max_items} items, an undecided test counts as a wrong decision;"
        " fixed: the same items in the same order to everyone, decided by EAP theta ≥ cut,"
        " at the shortest length whose accuracy reaches the SPRT's",
        "",
        _table(("indifference", "examinees outside", "SPRT correct", "SPRT undecided",
                "SPRT mean length", "fixed length, same accuracy", "fixed correct",
                "SPRT / fixed length"), sprt_lines),
        "",
        f"## Enemies and content targets under Sympson-Hetter, bank {constraint.bank_size}", "",
        f"- content targets {areas}; {2 * constraint.enemy_groups} enemy groups of 3 (half"
        " among the most informative items at theta 0); Sympson-Hetter calibrated to"
        f" {constraint.r_max} under the same rules on other examinees ({constraint.rounds}"
        f" rounds); {constraint.examinees} examinees. Content met: every area within one"
        " item of its share of the test's length.",
        "",
        _table(("test", "tests", "content targets met", "enemies kept apart", "max exposure",
                "RMSE", "mean length"), constraint_lines),
        "",
        "## Targets of issue 20", "",
        _table(("target", "measured", "met"), targets),
        "",
    ])  # fmt: skip
