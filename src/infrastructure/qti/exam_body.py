"""Questions and sections assembled into the exam body, with the report of what was left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lxml import etree

from application.ports.exam_packages import ImportedExam, JsonObject, JsonValue, SkippedContent
from infrastructure.qti.assessment_test import ItemRef, SectionPlan, TestPlan
from infrastructure.qti.declarations import ItemNotImportable
from infrastructure.qti.items import question_from_item

# The item an ItemRef names; ItemNotImportable when it cannot be had (not in the package).
ItemLoader = Callable[[ItemRef], etree._Element]


class ExamBuilder:
    """Collects one exam's questions item by item; skipped items go to the report."""

    def __init__(self, load: ItemLoader) -> None:
        self._load = load
        self._questions: list[JsonValue] = []
        self._skipped: list[SkippedContent] = []

    def add(self, refs: Iterable[ItemRef]) -> list[str]:
        """The ids of the questions imported from `refs`."""
        imported: list[str] = []
        for ref in refs:
            question_id = ref.identifier or ref.href
            try:
                item = self._load(ref)
                # A test names its questions by the ref; an item on its own by itself.
                question_id = ref.identifier or item.get("identifier") or ref.href
                question = question_from_item(item, question_id)
            except ItemNotImportable as skip:
                self._skipped.append(SkippedContent(identifier=question_id, reason=skip.reason))
                continue
            self._questions.append(question)
            imported.append(question_id)
        return imported

    def from_test(self, plan: TestPlan, fallback_title: str) -> ImportedExam:
        self._skipped.extend(plan.skipped)
        sections: list[JsonValue] = []
        for section in plan.sections:
            question_ids = self.add(section.refs)
            if question_ids:
                sections.append(_section(section, question_ids))
            else:
                reason = "no question of the section could be imported"
                self._skipped.append(SkippedContent(identifier=section.identifier, reason=reason))
        exam = self._exam(plan.title or fallback_title, plan.duration_seconds)
        return self._imported(exam | {"sections": sections})

    def from_items(self, refs: Iterable[ItemRef], title: str) -> ImportedExam:
        self.add(refs)
        return self._imported(self._exam(title, None))

    def _exam(self, title: str, duration_seconds: int | None) -> JsonObject:
        exam: JsonObject = {"title": title, "mode": "fixed", "questions": self._questions}
        # Without a QTI time limit there is no duration: the caller supplies one, or the
        # exam validation asks for it.
        if duration_seconds is not None:
            exam["duration_seconds"] = duration_seconds
        return exam

    def _imported(self, exam: JsonObject) -> ImportedExam:
        return ImportedExam(exam=exam, imported=len(self._questions), skipped=tuple(self._skipped))


def _section(plan: SectionPlan, question_ids: list[str]) -> JsonObject:
    ids: list[JsonValue] = list(question_ids)
    section: JsonObject = {"id": plan.identifier, "navigation": plan.navigation}
    if plan.title:
        section["title"] = plan.title
    if plan.duration_seconds is not None:
        section["duration_seconds"] = plan.duration_seconds
    if plan.select is not None:
        section["draw"] = {"from": ids, "count": plan.select}
    else:
        section["question_ids"] = ids
    if plan.shuffle:
        section["shuffle_questions"] = True
    return section
