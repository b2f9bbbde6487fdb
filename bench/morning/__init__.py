"""The exam morning: thousands of candidates with live streams, and saves at a fixed rate."""
