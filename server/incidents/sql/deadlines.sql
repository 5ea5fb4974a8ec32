-- Deadlines per category and severity, in hours from the report (migration 0005).
SELECT category, severity, hours FROM incident_deadlines ORDER BY category, severity
