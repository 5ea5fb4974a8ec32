import { z } from 'zod';
import { idParam } from '../http/params.js';

export const IncidentPhotosParams = z.object({ id: idParam() });

export const IncidentPhotoParams = z.object({ id: idParam(), photoId: idParam() });

/** Problem types of photo uploads, beside the server's general ones (server/http/problem.ts). */
export const PhotoProblem = {
  /** 415: the declared Content-Type is not image/jpeg, image/png or image/webp. */
  unsupportedType: 'urn:pingan:problem:unsupported-photo-type',
  /** 415: the bytes are no JPEG, PNG or WebP image, whatever was declared. */
  notAPhoto: 'urn:pingan:problem:not-a-photo',
  /** 422: the bytes are an accepted image, but not of the declared type. */
  typeMismatch: 'urn:pingan:problem:photo-type-mismatch',
  /** 409: the incident carries the most photos allowed. */
  tooMany: 'urn:pingan:problem:too-many-photos',
} as const;
