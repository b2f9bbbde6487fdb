"""Who may see or change an attempt."""

from __future__ import annotations

from application.errors import AccessDenied
from application.identity import Actor, Role
from domain.attempt import LiveAttempt


def ensure_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise AccessDenied("only an admin may do that")


def ensure_candidate(actor: Actor) -> None:
    if actor.role is not Role.CANDIDATE:
        raise AccessDenied("only a candidate may do that")


def ensure_can_view(attempt: LiveAttempt, actor: Actor) -> None:
    if not actor.is_admin and attempt.candidate_id != actor.user_id:
        raise AccessDenied("this attempt belongs to someone else")


def ensure_owner(attempt: LiveAttempt, actor: Actor) -> None:
    if attempt.candidate_id != actor.user_id or actor.role is not Role.CANDIDATE:
        raise AccessDenied("only the candidate who owns this attempt may do that")
