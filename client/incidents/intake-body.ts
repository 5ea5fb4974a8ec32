import type { IntakeSource } from '../../server/incidents/intake-rules';
import type { LngLat } from '../http/api-types';
import type { Category, Severity } from '../report/types';

/** What a form filed through `POST /api/incidents`; optional texts may be empty. */
export interface IntakeFields {
  category: Category;
  severity: Severity;
  title: string;
  description?: string;
  address?: string;
  /** WGS84, whatever datum the map draws in. */
  location: LngLat;
  source: IntakeSource;
  /** ISO instant. */
  occurredAt?: string;
  reporterName?: string;
  reporterPhone?: string;
  reporterIdNumber?: string;
}

const OPTIONAL_TEXTS = ['description', 'address', 'reporterName', 'reporterPhone', 'reporterIdNumber'] as const;

/** The intake body (docs/live-and-dispatch.md): texts trimmed, empty optional ones left out (the server refuses ""). */
export function intakeBody(fields: IntakeFields): Record<string, unknown> {
  const body: Record<string, unknown> = {
    category: fields.category,
    severity: fields.severity,
    title: fields.title.trim(),
    location: fields.location,
    source: fields.source,
  };
  for (const name of OPTIONAL_TEXTS) {
    const text = fields[name]?.trim();
    if (text) body[name] = text;
  }
  if (fields.occurredAt) body.occurredAt = fields.occurredAt;
  return body;
}
