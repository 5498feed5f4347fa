/** Timestamps as stored: ISO 8601 text, which sorts chronologically on SQLite and PostgreSQL alike. */
export const now = (): string => new Date().toISOString();
