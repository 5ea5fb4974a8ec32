import { z } from 'zod';
import { intParam } from '../http/params.js';

/** Longest search text: a full incident number or grid code with room to spare. */
export const MAX_SEARCH_LENGTH = 64;
/** Most hits one search answers. */
export const MAX_SEARCH_HITS = 50;

export const SEARCH_KINDS = ['grid', 'camera', 'incident', 'place'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** `GET /api/search` query. */
export const SearchQuery = z.object({
  /** A code, number or name, or the start or part of one; matched as plain text, never as a pattern. */
  q: z
    .string({ error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(MAX_SEARCH_LENGTH, `must be at most ${MAX_SEARCH_LENGTH} characters`)
    // Control characters (a NUL byte above all, which PostgreSQL text cannot hold) are no one's search.
    // eslint-disable-next-line no-control-regex
    .refine((q) => !/[\u0000-\u001f\u007f]/.test(q), 'must not contain control characters'),
  limit: intParam(1, MAX_SEARCH_HITS).default(10),
});

export type SearchFilter = z.output<typeof SearchQuery>;
