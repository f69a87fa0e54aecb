"""FastAPI targets of the jobbench job API (ADR-003 stack): see README.md."""
