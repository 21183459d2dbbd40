"""The supervision procedures, one module (or small package) each; `workflows.registry`
lists them."""
