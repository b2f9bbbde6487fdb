"""`python -m bench.exam_rss`: RSS of one API process against distinct large exams."""
