import { UnsupportedMediaTypeException } from '@nestjs/common';

// application/json, and structured-syntax JSON types such as application/merge-patch+json.
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json$/;

/** True when a Content-Type header names JSON (parameters such as charset are ignored). */
export function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return JSON_MEDIA_TYPE.test(mediaType);
}

/** An API that takes JSON only (PD1.1) refuses a form-encoded or text body rather than guessing at it. */
export function requireJsonBody(contentType: string | undefined): void {
  if (!isJsonMediaType(contentType)) {
    throw new UnsupportedMediaTypeException({ message: 'The request body must be JSON (Content-Type: application/json)' });
  }
}
