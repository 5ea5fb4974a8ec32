-- The deadlines about to change, locked until the change commits, with their hours now.
-- $1 jsonb [{category, severity}]
SELECT d.category, d.severity, d.hours
FROM incident_deadlines AS d
JOIN jsonb_to_recordset($1::jsonb) AS n (category text, severity text) ON n.category = d.category AND n.severity = d.severity
ORDER BY d.category, d.severity
FOR UPDATE OF d
