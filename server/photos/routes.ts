import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { scopeOf } from '../auth/caller.js';
import { guarded, type Route } from '../auth/routes.js';
import type { Database } from '../db/database.js';
import { HttpProblem } from '../http/problem.js';
import { isPhotoType, MAX_PHOTOS_PER_INCIDENT, PHOTO_TYPES, sniffPhotoType, type PhotoType } from './image-type.js';
import { countPhotos, findPhotoByHash, findPhotoContent, insertPhoto, listPhotos, lockIncident, type PhotoMeta } from './repository.js';
import { IncidentPhotoParams, IncidentPhotosParams, PhotoProblem } from './schema.js';
import { photoUploadBody } from './upload-body.js';

/** `/api/incidents/:id/photos`: photos a reporter attaches, stored once per content. */
export function photoRoutes(db: Database): Route[] {
  return [
    guarded({
      method: 'post',
      path: '/incidents/:id/photos',
      summary: `Attach a photo to an incident: the raw body as ${PHOTO_TYPES.join(', ')} (checked by content), at most 8 MiB and ${MAX_PHOTOS_PER_INCIDENT} photos; the same bytes again answer 200 with the stored photo`,
      access: 'incidents:report',
      audit: 'incident.photo',
      status: 201,
      schemas: { params: IncidentPhotosParams },
      before: [photoUploadBody],
      async handler({ req, res, caller, input, audit }) {
        const { id } = input.params;
        const { bytes, contentType } = checkedPhoto(req);
        const sha256 = createHash('sha256').update(bytes).digest();
        const { photo, created } = await db.tx(async (q) => {
          if (!(await lockIncident(q, scopeOf(caller), id))) throw HttpProblem.notFound(`there is no incident ${id}`);
          // A retry from an offline queue: the same bytes are the same photo.
          const existing = await findPhotoByHash(q, id, sha256);
          if (existing) return { photo: existing, created: false };
          if ((await countPhotos(q, id)) >= MAX_PHOTOS_PER_INCIDENT) {
            throw new HttpProblem(409, {
              type: PhotoProblem.tooMany,
              detail: `incident ${id} has ${MAX_PHOTOS_PER_INCIDENT} photos already, the most it may carry`,
              extra: { limit: MAX_PHOTOS_PER_INCIDENT },
            });
          }
          const stored = await insertPhoto(q, { incidentId: id, contentType, bytes, sha256, uploadedBy: caller.userId });
          if (!stored) throw new Error(`photo of incident ${id} neither stored nor found while the incident was locked`);
          await audit(q, {
            action: 'incident.photo',
            outcome: 'success',
            objectType: 'incident',
            objectId: id,
            detail: { photoId: stored.id, contentType, size: stored.size, sha256: stored.sha256 },
          });
          return { photo: stored, created: true };
        });
        res.status(created ? 201 : 200).location(`/api/incidents/${id}/photos/${photo.id}`).set('Cache-Control', 'no-store');
        if (!created) res.set('Idempotent-Replayed', 'true');
        res.json(photo satisfies PhotoMeta);
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/:id/photos',
      summary: "An incident's photos, oldest first: id, content type, size, SHA-256 and upload time (the bytes at …/photos/:photoId)",
      access: 'incidents:read',
      schemas: { params: IncidentPhotosParams },
      async handler({ res, caller, input }) {
        const photos = await listPhotos(db, scopeOf(caller), input.params.id);
        if (!photos) throw HttpProblem.notFound(`there is no incident ${input.params.id}`);
        res.set('Cache-Control', 'private, no-cache').json({ photos });
      },
    }),

    guarded({
      method: 'get',
      path: '/incidents/:id/photos/:photoId',
      summary: 'The bytes of one photo of an incident, with its stored content type; never changes',
      access: 'incidents:read',
      schemas: { params: IncidentPhotoParams },
      async handler({ res, caller, input }) {
        const { id, photoId } = input.params;
        const photo = await findPhotoContent(db, scopeOf(caller), id, photoId);
        if (!photo) throw HttpProblem.notFound(`there is no photo ${photoId} of incident ${id}`);
        res
          .set({
            'Content-Type': photo.contentType,
            // A photo id always names the same bytes.
            'Cache-Control': 'private, max-age=31536000, immutable',
            'X-Content-Type-Options': 'nosniff',
            ETag: `"${photo.sha256}"`,
          })
          .send(photo.bytes);
      },
    }),
  ];
}

/** The uploaded photo, its type declared and confirmed by its first bytes; a 4xx problem otherwise. */
function checkedPhoto(req: Request): { bytes: Buffer; contentType: PhotoType } {
  const declared = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!isPhotoType(declared)) {
    throw new HttpProblem(415, {
      type: PhotoProblem.unsupportedType,
      detail: `send the photo as the raw request body with Content-Type ${PHOTO_TYPES.join(', ')}${declared ? `, not ${declared.slice(0, 100)}` : ''}`,
    });
  }
  const bytes: unknown = req.body;
  if (!Buffer.isBuffer(bytes) || bytes.length === 0) throw new HttpProblem(400, { detail: 'the photo is empty' });
  const actual = sniffPhotoType(bytes);
  if (!actual) {
    throw new HttpProblem(415, { type: PhotoProblem.notAPhoto, detail: `the body is not a JPEG, PNG or WebP image (it was declared ${declared})` });
  }
  if (actual !== declared) {
    throw new HttpProblem(422, {
      type: PhotoProblem.typeMismatch,
      detail: `the body is ${actual}, but was declared ${declared}`,
      extra: { declared, actual },
    });
  }
  return { bytes, contentType: actual };
}
