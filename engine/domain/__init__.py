"""The pure domain: procedure model, case aggregate, history, errors, roles.

Nothing here does I/O; it imports only the standard library, `transitions` and pure
calculation/validation libraries (pydantic for payloads, python-stdnum for codes).
"""
