/** A camera as the dispatch options list it (docs/live-and-dispatch.md). */
export interface DispatchCamera {
  id: number;
  code: string;
  name: string;
  streamUrl: string | null;
  status?: string;
}

/** Why a camera's stream cannot be played in the browser at all, before trying. */
export type UnplayableReason = 'missing' | 'rtsp' | 'notHls';

export type StreamSource = { kind: 'hls'; url: string } | { kind: 'unplayable'; reason: UnplayableReason };

/**
 * What the browser can do with a camera's stream URL. Only HLS over http(s) plays
 * (hls.js or the browser's own HLS); RTSP, which most cameras and platforms
 * (GB/T 28181 gateways included) hand out, needs a transcoding gateway in between.
 */
export function streamSource(streamUrl: string | null): StreamSource {
  if (!streamUrl) return { kind: 'unplayable', reason: 'missing' };
  if (!URL.canParse(streamUrl)) return { kind: 'unplayable', reason: 'notHls' };
  const url = new URL(streamUrl);
  if (url.protocol === 'rtsp:' || url.protocol === 'rtsps:') return { kind: 'unplayable', reason: 'rtsp' };
  if ((url.protocol === 'http:' || url.protocol === 'https:') && url.pathname.toLowerCase().endsWith('.m3u8')) {
    return { kind: 'hls', url: url.href };
  }
  return { kind: 'unplayable', reason: 'notHls' };
}

export interface VideoWall<T extends DispatchCamera> {
  /** Cameras given a tile with the URL to play, in the order they came (nearest first), working ones first. */
  tiles: Array<{ camera: T; url: string }>;
  /** Playable cameras left out because the wall is full. */
  spare: T[];
  /** Cameras the browser cannot play, with the reason. */
  unplayable: Array<{ camera: T; reason: UnplayableReason }>;
}

/**
 * Which cameras get one of the `max` tiles. Cameras reported offline or faulty go last:
 * their status may be stale, so they still get a tile when there is room.
 */
export function videoWall<T extends DispatchCamera>(cameras: readonly T[], max: number): VideoWall<T> {
  const playable: Array<{ camera: T; url: string }> = [];
  const unplayable: VideoWall<T>['unplayable'] = [];
  for (const camera of cameras) {
    const source = streamSource(camera.streamUrl);
    if (source.kind === 'hls') playable.push({ camera, url: source.url });
    else unplayable.push({ camera, reason: source.reason });
  }
  const working = ({ camera }: { camera: T }) => camera.status === undefined || camera.status === 'online';
  const ordered = [...playable.filter(working), ...playable.filter((tile) => !working(tile))];
  const slots = Math.max(0, Math.floor(max));
  return { tiles: ordered.slice(0, slots), spare: ordered.slice(slots).map(({ camera }) => camera), unplayable };
}

/** Grid columns for a number of tiles: one fills the panel, two side by side, three or four 2 × 2, up to nine 3 × 3. */
export function wallColumns(tiles: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(tiles)));
}
