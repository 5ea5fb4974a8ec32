import { MAX_PHOTO_BYTES, sniffPhotoType, type PhotoType } from '../../server/photos/image-type';

/** Longest side of a photo as sent: enough to read a licence plate, a fraction of a camera's bytes. */
export const MAX_PHOTO_SIDE = 1920;
const JPEG_QUALITY = 0.85;
/** Files above this are refused before decoding: a phone would run out of memory first. */
const MAX_INPUT_BYTES = 40 * 1024 * 1024;

export interface PreparedPhoto {
  blob: Blob;
  type: PhotoType;
  size: number;
}

/** Why a chosen file cannot be queued, as an i18n key under `report.photoErrors`. */
export type PhotoRefusal = 'unreadable' | 'tooLarge';

export class PhotoRefused extends Error {
  override name = 'PhotoRefused';
  constructor(readonly reason: PhotoRefusal) {
    super(reason);
  }
}

/**
 * A chosen file as it will be uploaded. Camera photos are downscaled to
 * MAX_PHOTO_SIDE and re-encoded as JPEG (which also drops their EXIF, GPS position
 * included); a small JPEG, PNG or WebP goes as it is. Formats the server does not take
 * (HEIC, GIF …) are re-encoded when the browser can read them. The type is told by the
 * bytes, as the server will.
 */
export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  if (file.size > MAX_INPUT_BYTES) throw new PhotoRefused('tooLarge');
  const sniffed = sniffPhotoType(new Uint8Array(await file.slice(0, 16).arrayBuffer()));
  const image = await decode(file);
  try {
    const longest = Math.max(image.width, image.height);
    if (sniffed && longest <= MAX_PHOTO_SIDE && file.size <= MAX_PHOTO_BYTES) return { blob: file, type: sniffed, size: file.size };
    const scale = Math.min(1, MAX_PHOTO_SIDE / longest);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new PhotoRefused('unreadable');
    context.drawImage(image.source, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', JPEG_QUALITY));
    if (!blob) throw new PhotoRefused('unreadable');
    if (blob.size > MAX_PHOTO_BYTES) throw new PhotoRefused('tooLarge');
    return { blob, type: 'image/jpeg', size: blob.size };
  } finally {
    image.release();
  }
}

interface Decoded {
  source: CanvasImageSource;
  width: number;
  height: number;
  release(): void;
}

/**
 * The picture, upright as the camera meant it. createImageBitmap first; older Safari
 * refuses its options, so an <img> decodes it there (it also honours EXIF orientation).
 */
async function decode(file: Blob): Promise<Decoded> {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    return { source: bitmap, width: bitmap.width, height: bitmap.height, release: () => bitmap.close() };
  } catch {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.src = url;
    try {
      await img.decode();
    } catch {
      URL.revokeObjectURL(url);
      throw new PhotoRefused('unreadable');
    }
    return { source: img, width: img.naturalWidth, height: img.naturalHeight, release: () => URL.revokeObjectURL(url) };
  }
}
