"""Foreign targets: APIs in other stacks that serve the jobbench job API contract."""
