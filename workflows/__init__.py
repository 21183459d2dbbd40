"""The bureau's supervision procedures, one module each, plus routing data and profiles."""
