"""The exam domain: timers, exams, attempts and their rules. Plain Python, no I/O, no clock."""
