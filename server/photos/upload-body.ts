import express, { type RequestHandler } from 'express';
import { HttpProblem } from '../http/problem.js';
import { MAX_PHOTO_BYTES, PHOTO_TYPES } from './image-type.js';

const readRaw = express.raw({ type: [...PHOTO_TYPES], limit: MAX_PHOTO_BYTES });

/**
 * Reads a photo sent as the raw request body (the API's JSON parser leaves image
 * types alone). Other content types are left unread for the route to refuse; a body
 * over the limit is a 413 that names the photo limit, not the JSON one.
 */
export const photoUploadBody: RequestHandler = (req, res, next) => {
  readRaw(req, res, (err?: unknown) => {
    if ((err as { type?: unknown } | undefined)?.type === 'entity.too.large') {
      next(new HttpProblem(413, { detail: `a photo may be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB` }));
      return;
    }
    next(err);
  });
};
