import type { CrmVariable } from './crm-variables';
import { parseResponseLocation, type ResponseLocation, textAtLocation } from './response-location';
import { type ParsedTemplate, parseTemplate, renderTemplate } from './template';
import { CrmTemplateError } from './template-error';

/** CS2.6 forms: the file as base64 text in the JSON body, or as a part of a multipart/form-data body. */
export const UPLOAD_FORMS = ['base64', 'multipart'] as const;
export type UploadForm = (typeof UPLOAD_FORMS)[number];

/** The uploadFile endpoint's own settings (CS2.6), as an administrator writes them. */
export interface UploadSettings {
  form: UploadForm;
  /** `https://crm.example.com/records/{RECORD_ID}/attachments/{ATTACHMENT_ID}`: the attachment's URL built from its id… */
  attachmentUrlTemplate?: string;
  /** …or taken from the answer: a path inside the object at the response data location, e.g. `url`. */
  attachmentUrlLocation?: string;
  /** "Add comment to CRM": a comment on the record naming the file and its attachment URL. */
  addComment: boolean;
}

export interface CompiledUpload {
  form: UploadForm;
  attachmentUrl?: { template: ParsedTemplate } | { location: ResponseLocation };
  addComment: boolean;
}

/** The file an upload sends: its bytes and what it is. */
export interface UploadFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

const ATTACHMENT_URL_VARIABLES: ReadonlySet<CrmVariable> = new Set(['RECORD_ID', 'ATTACHMENT_ID', 'ACCOUNT_ID']);

export function compileUpload(settings: UploadSettings, fileParameters: readonly string[]): CompiledUpload {
  const where = 'endpoint uploadFile';
  if (fileParameters.length !== 1) throw new CrmTemplateError(`${where}: exactly one parameter must be {FILE_DATA} (the file), e.g. "file": "{FILE_DATA}"`);
  if (settings.attachmentUrlTemplate !== undefined && settings.attachmentUrlLocation !== undefined) {
    throw new CrmTemplateError(`${where}: give the attachment URL as a template or as a response location, not both`);
  }
  let attachmentUrl: CompiledUpload['attachmentUrl'];
  if (settings.attachmentUrlTemplate !== undefined) {
    if (!/^https?:\/\/[^/?#{}]+/i.test(settings.attachmentUrlTemplate)) throw new CrmTemplateError(`${where}: attachmentUrlTemplate must be an absolute http(s) URL`);
    const template = parseTemplate(settings.attachmentUrlTemplate, `${where} attachmentUrlTemplate`);
    const other = template.variables.find((variable) => !ATTACHMENT_URL_VARIABLES.has(variable));
    if (other) throw new CrmTemplateError(`${where} attachmentUrlTemplate: only {RECORD_ID}, {ATTACHMENT_ID} and {ACCOUNT_ID} may be used, not {${other}}`);
    attachmentUrl = { template };
  } else if (settings.attachmentUrlLocation !== undefined) {
    attachmentUrl = { location: parseResponseLocation(settings.attachmentUrlLocation, `${where} attachmentUrlLocation`) };
  }
  return { form: settings.form, ...(attachmentUrl ? { attachmentUrl } : {}), addComment: settings.addComment };
}

/**
 * The multipart form of an upload (CS2.6): the endpoint's parameters as text fields, the {FILE_DATA}
 * parameter as the file part (name, content type, bytes); encoded by the platform's own FormData encoder.
 * A form is flat, so a container body format does not apply to it.
 */
export async function multipartBody(parameters: Record<string, string | number | boolean>, fileParameter: string, file: UploadFile): Promise<{ contentType: string; body: Buffer }> {
  const form = new FormData();
  for (const [key, value] of Object.entries(parameters)) {
    if (key !== fileParameter) form.append(key, String(value));
  }
  form.append(fileParameter, new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.name);
  const encoded = new Response(form);
  return { contentType: encoded.headers.get('content-type') ?? 'multipart/form-data', body: Buffer.from(await encoded.arrayBuffer()) };
}

/** The attachment's URL (CS2.6): from the template with the record and attachment ids, or from the answer. */
export function attachmentUrlOf(upload: CompiledUpload, data: unknown, ids: { RECORD_ID: string; ATTACHMENT_ID?: string; ACCOUNT_ID?: string }): string | undefined {
  if (!upload.attachmentUrl) return undefined;
  if ('location' in upload.attachmentUrl) return textAtLocation(data, upload.attachmentUrl.location);
  const rendered = renderTemplate(upload.attachmentUrl.template, (variable) => ids[variable as keyof typeof ids], encodeURIComponent);
  return rendered.missing.length > 0 ? undefined : rendered.text;
}
