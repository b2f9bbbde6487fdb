"""The classification and constraint studies of the adaptive bench, on tiny sizes."""

from bench.adaptive.classification import ClassificationConfig, classification_study
from bench.adaptive.constraints import ConstraintConfig, constraint_study
from bench.adaptive.report_issue20 import render_issue20

from domain.adaptive import EngineSettings


def test_the_studies_report_every_row_and_target() -> None:
    sprt_config = ClassificationConfig(
        bank_size=80, examinees=60, indifferences=(0.5,), max_items=30, fixed_max=40
    )
    constraint_config = ConstraintConfig(bank_size=200, examinees=30, enemy_groups=10, rounds=2)
    designs = {"fixed 8": EngineSettings(max_items=8)}

    sprt = classification_study(sprt_config)
    constrained = constraint_study(constraint_config, designs)
    report = render_issue20(sprt_config, sprt, constraint_config, constrained)

    assert [row.indifference for row in sprt] == [0.5]
    assert 0 < sprt[0].mean_length <= 30
    # The engine's rules hold in every test, whatever the sizes.
    assert constrained[0].tests == 30
    assert constrained[0].enemies_kept == 30
    assert constrained[0].content_met == 30
    assert "## Classification tests (SPRT)" in report
    assert "enemies and content targets met in 100 % of simulated tests, fixed 8" in report
