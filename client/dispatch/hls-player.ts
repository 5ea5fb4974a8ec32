import type { ErrorData } from 'hls.js';

/** Why a stream that looked playable did not play. */
export type PlaybackFailure =
  | { reason: 'http'; status: number }
  | { reason: 'network' | 'timeout' | 'manifest' | 'media' | 'unsupported' };

export interface PlayerOptions {
  /** Aborting it stops loading and releases the player, also while hls.js is still being fetched. */
  signal: AbortSignal;
  onFailure(failure: PlaybackFailure): void;
}

/**
 * Plays an HLS URL in a (muted) video element: through hls.js and MediaSource where the
 * browser has it, else the browser's own HLS (Safari, some TV browsers), else a failure.
 * hls.js is fetched on first use so the main bundle does not carry it.
 */
export async function playHls(video: HTMLVideoElement, url: string, { signal, onFailure }: PlayerOptions): Promise<void> {
  const [{ default: Hls }, { default: workerPath }] = await Promise.all([
    import('hls.js'),
    // The transmuxer as its own file: the ESM build of hls.js cannot inline its worker, and
    // without one, four streams would be repackaged on the thread that draws the map.
    import('hls.js/dist/hls.worker.js?url'),
  ]);
  if (signal.aborted) return;

  if (Hls.isSupported()) {
    const hls = new Hls({
      workerPath,
      // A video wall stays open for hours: keep 30 s behind the play head, not everything.
      backBufferLength: 30,
    });
    let recoveredMedia = false;
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      // A decoder hiccup on a live camera usually passes; try once before giving up.
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recoveredMedia) {
        recoveredMedia = true;
        hls.recoverMediaError();
        return;
      }
      hls.destroy();
      onFailure(hlsFailure(data, data.type === Hls.ErrorTypes.NETWORK_ERROR));
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => startPlaying(video));
    hls.loadSource(url);
    hls.attachMedia(video);
    signal.addEventListener('abort', () => hls.destroy(), { once: true });
    return;
  }

  if (video.canPlayType('application/vnd.apple.mpegurl')) {
    const onError = () => onFailure(video.error?.code === MediaError.MEDIA_ERR_DECODE ? { reason: 'media' } : { reason: 'network' });
    video.addEventListener('error', onError);
    video.src = url;
    startPlaying(video);
    signal.addEventListener(
      'abort',
      () => {
        video.removeEventListener('error', onError);
        // Dropping the source is what makes the browser close the connection.
        video.removeAttribute('src');
        video.load();
      },
      { once: true },
    );
    return;
  }

  onFailure({ reason: 'unsupported' });
}

function startPlaying(video: HTMLVideoElement): void {
  // Muted autoplay is allowed everywhere; a refusal (e.g. the tile closed meanwhile) is not a stream failure.
  video.play().catch(() => undefined);
}

function hlsFailure(data: ErrorData, network: boolean): PlaybackFailure {
  // hls.js reports the HTTP status of a failed load (0 when the request never got an answer: refused, CORS, CSP).
  const status = data.response?.code ?? 0;
  if (status >= 400) return { reason: 'http', status };
  if (/timeout$/i.test(data.details)) return { reason: 'timeout' };
  if (/parsingerror$|^levelemptyerror$/i.test(data.details)) return { reason: 'manifest' };
  return { reason: network ? 'network' : 'media' };
}
