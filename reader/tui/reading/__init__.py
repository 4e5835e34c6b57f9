"""The parts of the reading view and the reading screen, each owned by its widget or screen."""
