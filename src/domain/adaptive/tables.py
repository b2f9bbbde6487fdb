"""Per-bank lookup tables the engine reads at every step."""

from collections.abc import Sequence

import numpy as np

from domain.adaptive.irt import FloatArray, ItemTerms, response_log_probabilities
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.quadrature import QuadratureGrid
from domain.adaptive.ranking import InformationRanking


class BankTables:
    """Log-likelihood rows on the quadrature grid, information rankings and the MLE's
    item terms of one bank.

    Building them costs O(items × grid) once; afterwards an EAP update is one vector
    addition and a selection is one row read, independent of the bank size. Engines
    with different settings over the same bank can share one instance.
    """

    __slots__ = ("bank", "grid", "item_terms", "log_correct", "log_incorrect", "ranking")

    def __init__(self, bank: ItemBank, grid: QuadratureGrid | None = None) -> None:
        self.bank = bank
        self.grid = grid or QuadratureGrid()
        log_p, log_q = response_log_probabilities(
            self.grid.nodes[None, :],
            bank.a[:, None],
            bank.b[:, None],
            bank.c[:, None],
            bank.d[:, None],
        )
        # Row-major (item, node) so the row of one response is contiguous memory.
        self.log_correct: FloatArray = np.ascontiguousarray(log_p)
        self.log_incorrect: FloatArray = np.ascontiguousarray(log_q)
        self.log_correct.setflags(write=False)
        self.log_incorrect.setflags(write=False)
        self.ranking = InformationRanking(bank)
        self.item_terms = ItemTerms(bank.a, bank.b, bank.c, bank.d)

    @property
    def nbytes(self) -> int:
        """Memory of the tables and of the bank they were built from."""
        rows = self.log_correct.nbytes + self.log_incorrect.nbytes
        return rows + self.ranking.nbytes + self.item_terms.nbytes + self.bank.nbytes

    def log_posterior(
        self, log_prior: FloatArray, administered: Sequence[int], responses: Sequence[bool]
    ) -> FloatArray:
        """Unnormalised log posterior on the grid after the given responses.

        Adds one row per response in test order, exactly as the engine does step by step,
        so a rebuilt posterior is bit-identical to the incremental one.
        """
        log_posterior = log_prior
        for item, correct in zip(administered, responses, strict=True):
            rows = self.log_correct if correct else self.log_incorrect
            log_posterior = log_posterior + rows[item]
        return log_posterior
