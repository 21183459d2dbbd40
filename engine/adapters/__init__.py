"""Adapters the bootstrap wires into the service layer (template rendering, clocks)."""
