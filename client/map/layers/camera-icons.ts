import type { Map as MaplibreMap } from 'maplibre-gl';
import { cameraFaultColor, cameraOfflineColor, cameraSourceColors } from '../theme';
import { cjkFontFamilyCss } from '../theme';

/** The character on each network's badge: 雪亮, 天网, 社会. */
const SOURCE_MARK: Record<string, string> = { xueliang: '雪', tianwang: '天', social: '社' };
const STATUSES = ['online', 'offline', 'fault'] as const;
const SIZE = 22;

export function cameraIconId(source: string, status: string): string {
  return `camera-${source}-${status}`;
}

/**
 * Badge icons drawn on a canvas at start-up (no sprite sheet to host): one per network
 * and status. Online: the network's colour; offline: grey with a slash; fault: amber ring.
 */
function drawIcon(source: string, status: (typeof STATUSES)[number], ratio: number): ImageData {
  const px = Math.round(SIZE * ratio);
  const canvas = document.createElement('canvas');
  canvas.width = px;
  canvas.height = px;
  const g = canvas.getContext('2d')!;
  g.scale(ratio, ratio);
  const fill = status === 'offline' ? cameraOfflineColor : cameraSourceColors[source]!;
  g.beginPath();
  g.roundRect(2, 2, SIZE - 4, SIZE - 4, 5);
  g.fillStyle = fill;
  g.fill();
  g.lineWidth = status === 'fault' ? 3 : 1.5;
  g.strokeStyle = status === 'fault' ? cameraFaultColor : '#0b1526';
  g.stroke();
  g.fillStyle = status === 'offline' ? '#cbd5e1' : '#0b1526';
  g.font = `bold 12px ${cjkFontFamilyCss}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(SOURCE_MARK[source] ?? '?', SIZE / 2, SIZE / 2 + 0.5);
  if (status === 'offline') {
    g.beginPath();
    g.moveTo(4, SIZE - 4);
    g.lineTo(SIZE - 4, 4);
    g.lineWidth = 2;
    g.strokeStyle = '#ef4444';
    g.stroke();
  }
  return g.getImageData(0, 0, px, px);
}

export function addCameraIcons(map: MaplibreMap): void {
  const ratio = Math.max(1, Math.ceil(window.devicePixelRatio || 1));
  for (const source of Object.keys(cameraSourceColors)) {
    for (const status of STATUSES) {
      const id = cameraIconId(source, status);
      if (!map.hasImage(id)) map.addImage(id, drawIcon(source, status, ratio), { pixelRatio: ratio });
    }
  }
}

/** For the legend: the same badge as a data URL. */
export function cameraIconUrl(source: string, status: (typeof STATUSES)[number]): string {
  const image = drawIcon(source, status, 2);
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas.toDataURL();
}
