"""Adaptive engine benchmark: recovery, exposure and step time, side by side with catsim."""
