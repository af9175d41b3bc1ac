// Intentionally empty: the baseline an import of @x/client is measured against (cold.mjs).
