"""The bench's scenario families, each driving the servers of one `BenchContext`."""
