-- Changes some deadlines; incidents already filed keep theirs. $1 jsonb [{category, severity, hours}]
UPDATE incident_deadlines AS d SET hours = n.hours
FROM jsonb_to_recordset($1::jsonb) AS n (category text, severity text, hours int)
WHERE d.category = n.category AND d.severity = n.severity
