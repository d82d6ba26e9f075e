// GET /api/documents/:key?exp&disp&sig: serves a stored file to whoever holds a valid signed URL.
// Public by design (an <img> cannot send a bearer token); the signature is the authorisation.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorResponse } from '../../../common/errors.js';
import { IMAGE_MIME_TYPES } from '../../../common/settings.js';
import { errors } from '../../errors.js';
import type { DocumentsService } from './documents.service.js';

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export async function documentsRoutes(app: FastifyInstance, options: { documents: DocumentsService }) {
  app.withTypeProvider<ZodTypeProvider>().get('/:key', {
    config: { public: true },
    schema: {
      tags: ['documents'],
      summary: 'Download a stored file through a signed, expiring URL',
      params: z.object({ key: z.string().max(64) }),
      querystring: z.object({
        exp: z.string().max(20).optional(),
        disp: z.string().max(1).optional(),
        sig: z.string().max(64).optional(),
      }),
      response: { 200: z.unknown().describe('The file'), 403: ErrorResponse, 404: ErrorResponse },
    },
    handler: async (request, reply) => {
      const requested = options.documents.verify(request.params.key, request.query);
      const document = await options.documents.open(request.params.key);
      if (!document) throw errors.notFound('File');
      const { meta } = document;
      // Only images and PDFs are shown in the browser; everything else is a download.
      const viewable = IMAGE_MIME_TYPES.includes(meta.contentType) || meta.contentType === 'application/pdf';
      const disposition = requested === 'inline' && viewable ? 'inline' : 'attachment';
      const remaining = Math.max(0, Number(request.query.exp) - Math.floor(Date.now() / 1000));
      return (
        reply
          .header('Content-Type', meta.contentType)
          .header('Content-Length', meta.size)
          .header('Content-Disposition', contentDisposition(disposition, meta.fileName))
          .header('X-Content-Type-Options', 'nosniff')
          // No scripts, no plugins, nothing fetched: the file is shown, never run. (Chromium's PDF
          // viewer does not load in a sandboxed document, so PDFs get the same policy minus sandbox.)
          .header(
            'Content-Security-Policy',
            meta.contentType === 'application/pdf'
              ? "default-src 'none'; frame-ancestors 'self'"
              : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'; sandbox",
          )
          .header('Cache-Control', `private, max-age=${remaining}`)
          .send(document.stream)
      );
    },
  });
}
