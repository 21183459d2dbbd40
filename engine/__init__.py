"""caseflow engine: the domain, the service layer and the entry points."""
