"""Exam-wide time control at scale: python -m bench.time_control."""
