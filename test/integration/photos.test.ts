import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PHOTO_BYTES, MAX_PHOTOS_PER_INCIDENT } from '../../server/photos/image-type.js';
import { expectProblem, PROBLEM } from '../support/problem.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { signIn, type ApiSession } from '../support/session.js';

// Incident photos (grid-worker page): raw image bodies checked by their first bytes,
// stored once per content and incident (an offline queue's retries store nothing
// twice), at most six per incident, only on incidents of the caller's jurisdiction,
// and served back with their type and for good caching. Real PNG, JPEG and WebP bytes.

interface PhotoMeta {
  id: number;
  contentType: string;
  size: number;
  sha256: string;
  at: string;
}

/** A small real PNG; `seed` changes its pixels, so each seed is other bytes. */
function pngOf(seed: number, size = 4): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = seed % 256;
    png.data[i + 1] = Math.floor(seed / 256) % 256;
    png.data[i + 2] = (i / 4) % 256;
    png.data[i + 3] = 255;
  }
  return PNG.sync.write(png);
}

// A 2 × 2 baseline JPEG and a 2 × 2 lossy WebP, as an encoder wrote them (ffmpeg, bit-exact).
const JPEG = Buffer.from(
  'ffd8ffe000104a46494600010200000100010000ffdb0043000804040404040505050505050606060606060606060606060607070708080807070706060707080808080909090808080809090a0a0a0c0c0b0b0e0e0e111114ffc4004c0001010000000000000000000000000000000601010100000000000000000000000000000607100100000000000000000000000000000000110100000000000000000000000000000000ffc00011080002000203012200021100031100ffda000c03010002110311003f0099007d497fffd9',
  'hex',
);
const WEBP = Buffer.from(
  '524946463800000057454250565038202c0000009001009d012a0200020002003425a00274ba00039800feef2947fc06ebe2d72fffab43ff5687fead0fdbb000',
  'hex',
);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('incident photos', () => {
  let server: TestServer;
  let worker: ApiSession;
  /** Incidents of worker.village's jurisdiction that had no photos when the file started, one per test that adds photos. */
  let own: number[];
  /** An incident of the neighbouring village without photos, outside worker.village's jurisdiction. */
  let foreign: number;
  let seed = 1;

  const upload = (session: ApiSession, incident: number, bytes: Buffer | string, contentType: string, csrf = true) =>
    fetch(`${server.baseUrl}/api/incidents/${incident}/photos`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': contentType, ...(csrf && { 'x-csrf-token': session.csrfToken }) },
      body: bytes,
    });

  const storedRows = async (incident: number) => {
    const { rows } = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = $1', [incident]);
    return rows[0]!.n;
  };

  beforeAll(async () => {
    server = await startTestServer();
    worker = await signIn(server.baseUrl, 'worker.village');
    const scoped = `SELECT i.id FROM incidents AS i
                    WHERE i.center_id IN (SELECT center_id FROM center_tree
                                          WHERE ancestor_id = (SELECT center_id FROM users WHERE username = $1))`;
    const { rows: mine } = await server.db.query<{ id: number }>(
      `${scoped} AND NOT EXISTS (SELECT 1 FROM incident_photos AS p WHERE p.incident_id = i.id) ORDER BY i.id LIMIT 8`,
      ['worker.village'],
    );
    const { rows: theirs } = await server.db.query<{ id: number }>(
      `${scoped} AND NOT EXISTS (SELECT 1 FROM incident_photos AS p WHERE p.incident_id = i.id) ORDER BY i.id LIMIT 1`,
      ['operator.village2'],
    );
    expect(mine.length, "incidents without photos in worker.village's jurisdiction").toBe(8);
    expect(theirs.length, "an incident in operator.village2's jurisdiction").toBe(1);
    own = mine.map((r) => r.id);
    foreign = theirs[0]!.id;
    expect(own).not.toContain(foreign);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('when a grid worker uploads a PNG, then it is stored (201) and served back byte for byte with its type, for good', async () => {
    const incident = own[0]!;
    const bytes = pngOf(seed++);
    const response = await upload(worker, incident, bytes, 'image/png');
    expect(response.status, await response.clone().text()).toBe(201);
    const photo = (await response.json()) as PhotoMeta;
    expect(photo).toEqual({ id: expect.any(Number), contentType: 'image/png', size: bytes.length, sha256: sha256(bytes), at: expect.any(String) });
    expect(Number.isNaN(Date.parse(photo.at))).toBe(false);
    expect(response.headers.get('location')).toBe(`/api/incidents/${incident}/photos/${photo.id}`);

    const list = await worker.get(`/api/incidents/${incident}/photos`);
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual({ photos: [photo] });

    const served = await worker.get(`/api/incidents/${incident}/photos/${photo.id}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);

    const { rows } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log
       WHERE action = 'incident.photo' AND outcome = 'success' AND object_type = 'incident' AND object_id = $1 AND username = 'worker.village'`,
      [String(incident)],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('when a JPEG and a WebP are uploaded, then each is stored with its own type', async () => {
    const incident = own[1]!;
    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const response = await upload(worker, incident, bytes, type);
      expect(response.status, await response.clone().text()).toBe(201);
      expect(await response.json()).toMatchObject({ contentType: type, size: bytes.length, sha256: sha256(bytes) });
    }
    const photos = ((await (await worker.get(`/api/incidents/${incident}/photos`)).json()) as { photos: PhotoMeta[] }).photos;
    expect(photos.map((p) => p.contentType)).toEqual(['image/jpeg', 'image/webp']);
    const served = await worker.get(`/api/incidents/${incident}/photos/${photos[0]!.id}`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(JPEG)).toBe(true);
  });

  it('when the same bytes are sent again, also several at once, then the stored photo answers (200) and there is one row', async () => {
    const incident = own[2]!;
    const bytes = pngOf(seed++);
    const first = await upload(worker, incident, bytes, 'image/png');
    expect(first.status).toBe(201);
    const stored = (await first.json()) as PhotoMeta;

    const again = await upload(worker, incident, bytes, 'image/png');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(stored);

    // A queue that lost the answer and a second tab retrying the same photo at once.
    const other = pngOf(seed++);
    const racing = await Promise.all(Array.from({ length: 5 }, () => upload(worker, incident, other, 'image/png')));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(racing.map(async (r) => ((await r.json()) as PhotoMeta).id)));
    expect(ids.size).toBe(1);
    expect(await storedRows(incident)).toBe(2);
  });

  it('when an incident has six photos, then a seventh is refused (409) and a retry of one of the six still answers 200', async () => {
    const incident = own[3]!;
    const six = Array.from({ length: MAX_PHOTOS_PER_INCIDENT }, () => pngOf(seed++));
    for (const bytes of six) expect((await upload(worker, incident, bytes, 'image/png')).status).toBe(201);
    const problem = await expectProblem(await upload(worker, incident, pngOf(seed++), 'image/png'), 409, PROBLEM('too-many-photos'));
    expect(problem.detail).toContain('6');
    expect((await upload(worker, incident, six[2]!, 'image/png')).status).toBe(200);
    expect(await storedRows(incident)).toBe(MAX_PHOTOS_PER_INCIDENT);
  });

  it('when the bytes are not an image, then the answer is 415 and nothing is stored', async () => {
    const incident = own[4]!;
    await expectProblem(await upload(worker, incident, Buffer.from('GIF89a not accepted'), 'image/png'), 415, PROBLEM('not-a-photo'));
    await expectProblem(await upload(worker, incident, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/jpeg'), 415, PROBLEM('not-a-photo'));
    // A PNG signature cut short, and RIFF of another kind (a WAV file).
    await expectProblem(await upload(worker, incident, pngOf(seed++).subarray(0, 7), 'image/png'), 415, PROBLEM('not-a-photo'));
    await expectProblem(await upload(worker, incident, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), 'image/webp'), 415, PROBLEM('not-a-photo'));
    expect(await storedRows(incident)).toBe(0);
  });

  it('when the bytes are another accepted type than declared, then the answer is 422 naming both', async () => {
    const incident = own[4]!;
    const problem = await expectProblem(await upload(worker, incident, pngOf(seed++), 'image/jpeg'), 422, PROBLEM('photo-type-mismatch'));
    expect(problem).toMatchObject({ declared: 'image/jpeg', actual: 'image/png' });
    await expectProblem(await upload(worker, incident, JPEG, 'image/webp'), 422, PROBLEM('photo-type-mismatch'));
    expect(await storedRows(incident)).toBe(0);
  });

  it('when the declared type is not an accepted image type, then the answer is 415 whatever the bytes', async () => {
    const incident = own[4]!;
    for (const type of ['text/plain', 'application/octet-stream', 'image/gif', 'image/svg+xml', 'multipart/form-data; boundary=x']) {
      await expectProblem(await upload(worker, incident, pngOf(seed++), type), 415, PROBLEM('unsupported-photo-type'));
    }
    await expectProblem(await upload(worker, incident, '{"photo":"x"}', 'application/json'), 415, PROBLEM('unsupported-photo-type'));
    // Parameters of the media type are allowed; its name is matched without regard to case.
    expect((await upload(worker, incident, pngOf(seed++), 'Image/PNG; name=a.png')).status).toBe(201);
  });

  it('when the body is empty, then the answer is 400', async () => {
    await expectProblem(await upload(worker, own[4]!, Buffer.alloc(0), 'image/png'), 400);
  });

  it('when the photo is one byte over 8 MiB, then the answer is 413; exactly 8 MiB is stored', async () => {
    const incident = own[5]!;
    const signature = pngOf(seed++).subarray(0, 8);
    const over = Buffer.concat([signature, Buffer.alloc(MAX_PHOTO_BYTES + 1 - signature.length, 7)]);
    const problem = await expectProblem(await upload(worker, incident, over, 'image/png'), 413);
    expect(problem.detail).toContain('8 MiB');
    const exact = Buffer.concat([signature, Buffer.alloc(MAX_PHOTO_BYTES - signature.length, 9)]);
    const stored = await upload(worker, incident, exact, 'image/png');
    expect(stored.status, await stored.clone().text()).toBe(201);
    expect(((await stored.json()) as PhotoMeta).size).toBe(MAX_PHOTO_BYTES);
  });

  it("when the incident is another village's or does not exist, then every photo endpoint answers 404", async () => {
    await expectProblem(await upload(worker, foreign, pngOf(seed++), 'image/png'), 404);
    await expectProblem(await upload(worker, 999_999_999, pngOf(seed++), 'image/png'), 404);
    expect(await storedRows(foreign)).toBe(0);
    await expectProblem(await worker.get(`/api/incidents/${foreign}/photos`), 404);

    // The neighbouring village's own operator adds one; worker.village can neither list nor fetch it.
    const neighbour = await signIn(server.baseUrl, 'operator.village2');
    const response = await upload(neighbour, foreign, pngOf(seed++), 'image/png');
    expect(response.status).toBe(201);
    const photo = (await response.json()) as PhotoMeta;
    await expectProblem(await worker.get(`/api/incidents/${foreign}/photos/${photo.id}`), 404);
    // Nor through an incident of its own with the foreign photo's id.
    await expectProblem(await worker.get(`/api/incidents/${own[0]}/photos/${photo.id}`), 404);
  });

  it('when roles without incidents:report upload, then 403; readers list; nobody signed in gets 401; a cookie upload needs its CSRF header', async () => {
    const incident = own[6]!;
    for (const username of ['analyst.village', 'leader.village', 'planner.village', 'admin.village']) {
      const session = await signIn(server.baseUrl, username);
      await expectProblem(await upload(session, incident, pngOf(seed++), 'image/png'), 403, PROBLEM('forbidden'));
      expect((await session.get(`/api/incidents/${incident}/photos`)).status).toBe(200);
    }
    const auditor = await signIn(server.baseUrl, 'auditor.village');
    await expectProblem(await upload(auditor, incident, pngOf(seed++), 'image/png'), 403, PROBLEM('forbidden'));
    await expectProblem(await auditor.get(`/api/incidents/${incident}/photos`), 403, PROBLEM('forbidden'));

    const operator = await signIn(server.baseUrl, 'operator.village');
    expect((await upload(operator, incident, pngOf(seed++), 'image/png')).status).toBe(201);

    const anonymous = await fetch(`${server.baseUrl}/api/incidents/${incident}/photos`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: pngOf(seed++) });
    await expectProblem(anonymous, 401, PROBLEM('unauthenticated'));
    await expectProblem(await upload(worker, incident, pngOf(seed++), 'image/png', false), 403, PROBLEM('csrf'));
    expect(await storedRows(incident)).toBe(1);
  });
});
