"""The readmark command line: a registry of commands, each in a module of its own."""
