"""Peers: plainly written services of the kind Hourglass replaces, for side-by-side runs."""
