"""Proficiency across attempts and calibration jobs (issue 20)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from application.ports.proficiencies import Proficiencies
from application.use_cases.read_proficiency import GetProficiency
from infrastructure.postgres.proficiencies import SqlProficiencies
from infrastructure.postgres.sessions import DatabaseSessions


class PsychometricsProvider(Provider):
    scope = Scope.APP

    @provide
    def proficiencies(self, sessions: DatabaseSessions) -> Proficiencies:
        return SqlProficiencies(sessions)

    use_cases = provide_all(GetProficiency)
