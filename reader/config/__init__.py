"""The user's config file (config.toml): where it is, what it may say, and reading it."""

from reader.config.files import (
    ENV_CONFIG,
    config_path,
    default_config_path,
    default_config_text,
    load_settings,
    parse_config_text,
    write_default_config,
)
from reader.config.settings import ConfigError, Settings, known_names

__all__ = [
    "ENV_CONFIG",
    "ConfigError",
    "Settings",
    "config_path",
    "default_config_path",
    "default_config_text",
    "known_names",
    "load_settings",
    "parse_config_text",
    "write_default_config",
]
