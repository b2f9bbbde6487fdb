from __future__ import annotations

from application.errors import AccessDenied
from application.identity import Actor
from application.ports.proficiencies import Proficiencies
from domain.proficiency import ProficiencyEstimate


class GetProficiency:
    """A candidate reads their own latest theta and se per exam; an admin anyone's."""

    def __init__(self, proficiencies: Proficiencies) -> None:
        self._proficiencies = proficiencies

    async def __call__(self, actor: Actor, candidate_id: str) -> list[ProficiencyEstimate]:
        if not actor.is_admin and actor.user_id != candidate_id:
            raise AccessDenied("a candidate may read only their own proficiency")
        return await self._proficiencies.latest_per_exam(candidate_id)
