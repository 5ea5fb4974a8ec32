import { ref, watch } from 'vue';

const MUTE_KEY = 'pingan.queue.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTE_KEY) === '1';
  } catch {
    return false;
  }
}

/** The duty desk's mute switch, shared by every view and kept across page loads. */
export const alertsMuted = ref(readMuted());
watch(alertsMuted, (muted) => {
  try {
    if (muted) localStorage.setItem(MUTE_KEY, '1');
    else localStorage.removeItem(MUTE_KEY);
  } catch {
    // Storage blocked (private mode, policy): the switch still holds for this page.
  }
});

let context: AudioContext | null = null;

/**
 * Browsers keep audio suspended until the user has interacted with the page. The first
 * click or key press anywhere resumes it, so a later arrival can sound without one.
 */
function unlockOnGesture(): void {
  const unlock = () => {
    context ??= new AudioContext();
    void context.resume().catch(() => undefined);
    window.removeEventListener('pointerdown', unlock, true);
    window.removeEventListener('keydown', unlock, true);
  };
  window.addEventListener('pointerdown', unlock, true);
  window.addEventListener('keydown', unlock, true);
}

if (typeof window !== 'undefined' && 'AudioContext' in window) unlockOnGesture();

/**
 * Two short rising tones: a new incident for the duty desk. Generated, not a sound file,
 * so nothing extra has to be bundled or served. Silent when muted or while the browser
 * still blocks audio (no gesture on the page yet). True when it sounded.
 */
export function playArrivalChime(): boolean {
  if (alertsMuted.value || !context || context.state !== 'running') return false;
  const start = context.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.18, 1320]] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.16);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.18);
  }
  return true;
}
