import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database.js';
import { openTestDatabase } from '../support/db.js';
import type { TestServer } from '../support/server.js';
import { signIn } from '../support/session.js';
import { CHROMIUM, hasChromium, launchChromium, openPage, prepareClient, SCREENSHOT_DIR, submitLogin, type TestPage } from './browser.js';
import { pixelStats } from './png-stats.js';

// Video dispatch (视频调度) in Chromium, as a duty operator reaches it: an incident's
// details, the dispatch helper's 视频调度 button, the covering cameras' streams side by
// side. The streams are an HLS clip that ffmpeg makes here, served by a stand-in video
// gateway on another origin; the cameras covering the incident get its URL (and a missing
// playlist, and an RTSP address) in the database. Played by the real hls.js through the
// real server's Content-Security-Policy.

const FFMPEG = process.env.FFMPEG_PATH ?? '/usr/bin/ffmpeg';
const hasFfmpeg = existsSync(FFMPEG);
const OPERATOR = 'operator.district';
const PASSWORD = 'Pingan@2026';
const CLIENT_DIR = fileURLToPath(new URL('../../dist/client/', import.meta.url));
const READY_MS = 60_000;
/** A name only hls.js has (one of its error details): tells its code from ours in a bundle. */
const HLS_MARKER = 'manifestLoadError';

/** The page functions below; the tests are type-checked without DOM libs. */
interface VideoLike {
  readyState: number;
  currentTime: number;
  videoWidth: number;
  videoHeight: number;
}
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(source: unknown, x: number, y: number): void;
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  };
}
interface PageDom {
  document: { querySelector(selector: string): unknown; createElement(tag: 'canvas'): CanvasLike };
  MediaSource: { isTypeSupported(type: string): boolean };
}

/** A short H.264 clip as HLS (1-s segments) with ffmpeg's colour-bar test source. */
async function makeClip(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // prettier-ignore
  await promisify(execFile)(FFMPEG, [
    '-hide_banner', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25', '-t', '6',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-profile:v', 'main', '-g', '25',
    '-f', 'hls', '-hls_time', '1', '-hls_list_size', '0',
    '-hls_segment_filename', path.join(dir, 'seg%02d.ts'),
    path.join(dir, 'index.m3u8'),
  ]);
}

const CONTENT_TYPES: Record<string, string> = { '.m3u8': 'application/vnd.apple.mpegurl', '.ts': 'video/mp2t' };

/** A stand-in video gateway: the clip's files with their content types, readable from any origin. */
async function serveClip(dir: string, requests: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    const name = path.basename(new URL(req.url ?? '/', 'http://gateway').pathname);
    requests.push(name);
    res.setHeader('Access-Control-Allow-Origin', '*');
    const type = CONTENT_TYPES[path.extname(name)];
    if (!type) {
      res.writeHead(404).end();
      return;
    }
    readFile(path.join(dir, name)).then(
      (body) => res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-cache' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return server;
}

/**
 * A spot seen by at least four cameras and inside a level-3 grid: a little way along the
 * view of the first online camera that has one (the coverage test of dispatch-options,
 * server/dispatch/sql/cameras.sql, on a few hundred candidates).
 */
const SPOT_SQL = `
WITH spot AS (
  SELECT c.id, ST_Project(c.location::geography, c.range_m * 0.4, radians(c.heading))::geometry AS p
  FROM cameras AS c WHERE c.status = 'online' ORDER BY c.id LIMIT 300
)
SELECT ST_X(s.p) AS lon, ST_Y(s.p) AS lat
FROM spot AS s
JOIN cameras AS c
  ON c.location && ST_Expand(s.p, 0.06)
 AND ST_DWithin(c.location::geography, s.p::geography, c.range_m)
 AND (c.fov >= 360 OR abs(((degrees(ST_Azimuth(c.location::geography, s.p::geography)) - c.heading + 540)::numeric % 360) - 180) <= c.fov / 2.0)
WHERE EXISTS (SELECT 1 FROM grids AS g WHERE g.kind = 'general' AND g.level = 3 AND ST_Intersects(g.geom, s.p))
GROUP BY s.id, s.p
HAVING count(*) >= 4
ORDER BY s.id
LIMIT 1`;

if (!hasChromium || !hasFfmpeg) {
  console.warn(`[video-dispatch.e2e] skipped: needs Chromium at ${CHROMIUM} and ffmpeg at ${FFMPEG}`);
}

describe.skipIf(!hasChromium || !hasFfmpeg)('video dispatch in Chromium (skipped without Chromium or ffmpeg)', () => {
  let workDir: string | undefined;
  let gateway: Server | undefined;
  let gatewayOrigin: string;
  const gatewayRequests: string[] = [];
  let db: Database | undefined;
  let server: TestServer | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let incidentId: number;
  /** The cameras this test points at its streams, with the stream URL each had before. */
  let changed: Array<{ id: number; stream_url: string | null }> = [];
  let playing: [number, number];
  let missing: number;
  let rtsp: number;

  async function setStream(id: number, url: string | null): Promise<void> {
    await db!.query('UPDATE cameras SET stream_url = $2 WHERE id = $1', [id, url]);
  }

  /**
   * Signs in through the login page, opens the incident's details by its map URL and
   * presses 视频调度 in the dispatch helper. `requested` collects every URL the page asks for.
   */
  async function openVideo(target: TestServer, requested: string[] = []): Promise<TestPage & { beforeClick: string[] }> {
    const opened = await openPage(browser!);
    const { page } = opened;
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(`${target.baseUrl}/`);
    await page.getByTestId('login-page').waitFor();
    await submitLogin(page, OPERATOR, PASSWORD);
    await page.getByTestId('command-map').waitFor();
    await page.goto(`${target.baseUrl}/?sel=incident:${incidentId}`);
    const button = page.getByTestId('dispatch-video');
    try {
      await page.waitForSelector('body[data-map-ready="true"]', { state: 'attached', timeout: READY_MS });
      await button.waitFor({ timeout: READY_MS });
    } catch (error) {
      await page.screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-no-button.png` }).catch(() => undefined);
      throw new Error(`no 视频调度 button for incident ${incidentId}; page errors: ${opened.errors.join(' | ') || 'none'}`, { cause: error });
    }
    const beforeClick = [...requested];
    try {
      await button.click({ timeout: READY_MS });
      await page.getByTestId('video-dispatch').waitFor({ timeout: READY_MS });
    } catch (error) {
      await page.screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-not-opened.png` }).catch(() => undefined);
      throw new Error(`视频调度 did not open for incident ${incidentId}; page errors: ${opened.errors.join(' | ') || 'none'}`, { cause: error });
    }
    return { ...opened, beforeClick };
  }

  const tile = (target: TestPage, id: number) => target.page.locator(`[data-testid="video-tile"][data-camera-id="${id}"]`);
  const statusOf = (target: TestPage, id: number) => tile(target, id).getByTestId('video-status').textContent();

  /** Waits for a tile to reach a playback state ('playing', 'failed'). */
  async function reach(target: TestPage, id: number, state: string): Promise<void> {
    try {
      await target.page.locator(`[data-testid="video-tile"][data-camera-id="${id}"][data-state="${state}"]`).waitFor({ timeout: READY_MS });
    } catch (error) {
      await target.page.screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-not-${state}.png` }).catch(() => undefined);
      throw new Error(`camera ${id} never reached '${state}': ${await statusOf(target, id)}; page errors: ${target.errors.join(' | ') || 'none'}`, { cause: error });
    }
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'pingan-video-'));
    await Promise.all([makeClip(path.join(workDir, 'clip')), prepareClient()]);
    gateway = await serveClip(path.join(workDir, 'clip'), gatewayRequests);
    gatewayOrigin = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;

    const { startTestServer } = await import('../support/server.js');
    server = await startTestServer({ CAMERA_STREAM_ORIGINS: gatewayOrigin });
    db = await openTestDatabase({ poolSize: 2 });

    // A fresh incident where several cameras look, reported as the hotline would.
    const [spot] = (await db.query<{ lon: number; lat: number }>(SPOT_SQL)).rows;
    expect(spot, 'a spot seen by four cameras').toBeDefined();
    const api = await signIn(server.baseUrl, OPERATOR, PASSWORD);
    const reported = await api.send(
      'POST',
      '/api/incidents',
      { category: 'public_order', severity: 'high', title: '视频调度测试：路口聚集', location: [spot!.lon, spot!.lat], source: 'hotline' },
      { headers: { 'idempotency-key': `video-e2e-${randomUUID()}` } },
    );
    expect(reported.status, 'intake').toBe(201);
    incidentId = ((await reported.json()) as { incident: { id: number } }).incident.id;

    const options = await api.get(`/api/incidents/${incidentId}/dispatch-options`);
    expect(options.status, 'dispatch options').toBe(200);
    const covering = ((await options.json()) as { cameras: Array<{ id: number }> }).cameras.map((camera) => camera.id);
    expect(covering.length).toBeGreaterThanOrEqual(4);
    changed = (await db.query<{ id: number; stream_url: string | null }>('SELECT id::int AS id, stream_url FROM cameras WHERE id = ANY($1::bigint[]) ORDER BY id', [covering])).rows;
    const [a, b, c, d] = covering as [number, number, number, number];
    playing = [a, b];
    missing = c;
    rtsp = d;
    // Only these four have a stream: the button offers the cameras that have one.
    for (const id of covering) await setStream(id, null);
    await setStream(a, `${gatewayOrigin}/index.m3u8`);
    await setStream(b, `${gatewayOrigin}/index.m3u8`);
    await setStream(missing, `${gatewayOrigin}/no-such-stream.m3u8`);
    await setStream(rtsp, 'rtsp://10.20.0.9:554/Streaming/Channels/101');

    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (db) {
      for (const camera of changed) await setStream(camera.id, camera.stream_url);
      await db.close();
    }
    await new Promise<void>((resolve) => (gateway ? gateway.close(() => resolve()) : resolve()));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('when the server names the video gateway, then its CSP lets pages fetch from it and play it from blob: URLs', async () => {
    const response = await fetch(`${server!.baseUrl}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    await response.arrayBuffer();
    expect(csp).toContain(`connect-src 'self' ws: wss: ${gatewayOrigin}`);
    expect(csp).toContain(`media-src 'self' blob: ${gatewayOrigin}`);
  });

  it('when the client is built, then hls.js is in a chunk of its own, not in the scripts every page loads', async () => {
    const html = await readFile(path.join(CLIENT_DIR, 'index.html'), 'utf8');
    const eager = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(eager.length).toBeGreaterThan(0);
    const hasHls = async (file: string) => (await readFile(path.join(CLIENT_DIR, file), 'utf8')).includes(HLS_MARKER);
    for (const file of eager) expect(await hasHls(file), `${file} is loaded up front`).toBe(false);
    const scripts = (await readdir(path.join(CLIENT_DIR, 'assets'))).filter((file) => file.endsWith('.js')).map((file) => `assets/${file}`);
    expect((await Promise.all(scripts.map(hasHls))).some(Boolean), 'a lazy chunk holds hls.js').toBe(true);
  });

  it('when the operator opens 视频调度, then the covering cameras play side by side: frames decode, time runs, the picture is not black', async () => {
    const requested: string[] = [];
    const target = await openVideo(server!, requested);
    const { page } = target;
    try {
      const h264 = await page.evaluate(() => (globalThis as unknown as PageDom).MediaSource.isTypeSupported('video/mp4; codecs="avc1.4d401e"'));
      expect(h264, 'this Chromium plays H.264 through MediaSource').toBe(true);

      // Three tiles (two playing, one failing) make a 2 × 2 wall; the RTSP camera is listed below it.
      expect(await page.getByTestId('video-tile').count()).toBe(3);
      const boxes = await Promise.all([0, 1, 2].map(async (i) => (await page.getByTestId('video-tile').nth(i).boundingBox())!));
      const [one, two, three] = boxes as [(typeof boxes)[0], (typeof boxes)[0], (typeof boxes)[0]];
      expect(two.y, 'second tile beside the first').toBeCloseTo(one.y, 0);
      expect(two.x).toBeGreaterThan(one.x + one.width - 1);
      expect(three.x, 'third tile under the first').toBeCloseTo(one.x, 0);
      expect(three.y).toBeGreaterThan(one.y + one.height - 1);
      expect(three.width).toBeCloseTo(one.width, 0);

      for (const id of playing) {
        await reach(target, id, 'playing');
        expect((await statusOf(target, id))?.trim()).toBe('播放中');
      }
      const video = `[data-camera-id="${playing[0]}"] video`;
      const before = await page.evaluate((selector) => {
        const v = (globalThis as unknown as PageDom).document.querySelector(selector) as VideoLike;
        return { readyState: v.readyState, currentTime: v.currentTime, width: v.videoWidth, height: v.videoHeight };
      }, video);
      expect(before.readyState, 'HAVE_CURRENT_DATA or more').toBeGreaterThanOrEqual(2);
      expect([before.width, before.height]).toEqual([320, 180]);
      await page.waitForFunction(
        ([selector, start]) => ((globalThis as unknown as PageDom).document.querySelector(selector) as VideoLike).currentTime > start,
        [video, before.currentTime] as const,
        { timeout: READY_MS },
      );

      // The decoded frame itself: testsrc draws colour bars and a counter; a failed decode is black.
      const frame = await page.evaluate((selector) => {
        const v = (globalThis as unknown as PageDom).document.querySelector(selector) as VideoLike;
        const canvas = (globalThis as unknown as PageDom).document.createElement('canvas');
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        const context = canvas.getContext('2d');
        context.drawImage(v, 0, 0);
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let sum = 0;
        let sumSquares = 0;
        let max = 0;
        for (let i = 0; i < data.length; i += 4) {
          const luma = 0.299 * data[i]! + 0.587 * data[i + 1]! + 0.114 * data[i + 2]!;
          sum += luma;
          sumSquares += luma * luma;
          max = Math.max(max, luma);
        }
        const n = data.length / 4;
        const mean = sum / n;
        return { variance: sumSquares / n - mean * mean, max };
      }, video);
      expect(frame.max, 'brightest pixel').toBeGreaterThan(150);
      expect(frame.variance, 'luma variance of the frame').toBeGreaterThan(500);

      expect(gatewayRequests.some((name) => name.endsWith('.ts')), 'segments were fetched from the gateway').toBe(true);
      const isHlsChunk = (url: string) => /\/assets\/hls-[\w-]+\.js$/.test(url);
      expect(target.beforeClick.some(isHlsChunk), 'hls.js not fetched before 视频调度').toBe(false);
      expect(requested.some(isHlsChunk), 'hls.js fetched for 视频调度').toBe(true);
      expect(requested.some((url) => /\/assets\/hls\.worker-[\w-]+\.js$/.test(url)), 'hls.js transmuxes in its worker').toBe(true);

      const panel = page.getByTestId('video-dispatch');
      const shot = await panel.screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-wall.png` });
      expect(pixelStats(shot, [0, 0, 0]).distinctColours, 'colours in the panel').toBeGreaterThanOrEqual(16);
      await page.screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-screen.png` });
      // A floating panel sized for the 1920 × 1080 duty screen, not a cover over the map.
      const box = (await panel.boundingBox())!;
      expect(box.width).toBeLessThan(1000);
      expect(box.height).toBeLessThan(640);
      expect(target.errors).toEqual([]);
    } finally {
      await target.context.close();
    }
  });

  it('when a playlist is missing or a camera only has RTSP, then the panel says it cannot play and why, and closes', async () => {
    const target = await openVideo(server!);
    const { page } = target;
    try {
      await reach(target, missing, 'failed');
      const status = await statusOf(target, missing);
      expect(status).toContain('无法播放');
      expect(status).toContain('HTTP 404');
      expect(await tile(target, missing).getByTestId('video-retry').isVisible()).toBe(true);

      const listed = page.locator(`[data-testid="video-unplayable"] li[data-camera-id="${rtsp}"]`);
      expect(await listed.getAttribute('data-reason')).toBe('rtsp');
      const explanation = await listed.textContent();
      expect(explanation).toContain('需转码网关');
      expect(explanation).toContain('RTSP');
      expect(await tile(target, rtsp).count(), 'no tile for an RTSP camera').toBe(0);

      await page.getByTestId('video-dispatch-close').click();
      expect(await page.getByTestId('video-dispatch').count()).toBe(0);
      expect(await page.getByTestId('dispatch-video').isVisible(), 'the button opens it again').toBe(true);
      expect(target.errors).toEqual([]);
    } finally {
      await target.context.close();
    }
  });

  it('when the gateway is not in CAMERA_STREAM_ORIGINS, then the CSP blocks it and the tile says it cannot play', async () => {
    const { startTestServer } = await import('../support/server.js');
    const unlisted = await startTestServer();
    try {
      const target = await openVideo(unlisted);
      try {
        await reach(target, playing[0], 'failed');
        expect(await statusOf(target, playing[0])).toContain('CAMERA_STREAM_ORIGINS');
        await target.page.getByTestId('video-dispatch').screenshot({ path: `${SCREENSHOT_DIR}video-dispatch-unlisted.png` });
      } finally {
        await target.context.close();
      }
    } finally {
      await unlisted.close();
    }
  });
});
