import { ApiOperation } from '@nestjs/swagger';
import { z } from 'zod';
import { recordDocumentedExample } from './body-examples';
import { openApiSchemaOf, type OpenApiSchema } from './openapi-schema';

export interface MediaTypeDocumentation {
  /** A zod schema (documented and its example checked) or, for a non-JSON type, a plain OpenAPI schema. */
  readonly schema: z.ZodType | OpenApiSchema;
  readonly example: unknown;
}

/**
 * For a handler that reads the body itself in more than one media type (a CSV or JSON import):
 * documents each media type with its own schema and example. Handlers with one JSON body use
 * ZodBody or DocumentedBody instead.
 */
export function ApiRequestBodies(content: Record<string, MediaTypeDocumentation>, options: { description?: string } = {}): MethodDecorator {
  return (target, propertyKey, descriptor) => {
    const where = `${target.constructor.name}.${String(propertyKey)}`;
    const documented = Object.fromEntries(
      Object.entries(content).map(([mediaType, { schema, example }]) => {
        if (schema instanceof z.ZodType) recordDocumentedExample(`${where} (${mediaType})`, schema, example);
        const jsonSchema = schema instanceof z.ZodType ? openApiSchemaOf(schema) : schema;
        return [mediaType, { schema: jsonSchema, examples: { example: { value: example } } }];
      }),
    );
    // summary: undefined keeps the summary of the handler's own @ApiOperation, whichever runs first.
    const requestBody = { required: true, content: documented, ...(options.description === undefined ? {} : { description: options.description }) };
    return ApiOperation({ summary: undefined, requestBody } as Parameters<typeof ApiOperation>[0])(target, propertyKey, descriptor);
  };
}
