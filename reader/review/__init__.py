"""Spaced-repetition review of past highlights: scheduling, the due queue, sessions."""
