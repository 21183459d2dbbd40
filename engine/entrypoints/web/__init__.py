"""The web application: FastAPI, server-rendered Chinese pages with htmx, signed in."""
