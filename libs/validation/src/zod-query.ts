import { Query } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';
import { handlerDescriptor } from './handler-descriptor';
import { openApiSchemaOf, type OpenApiSchema } from './openapi-schema';
import { ZodValidationPipe } from './parse-with';

type QuerySchema = z.ZodType<unknown, Record<string, unknown>>;

/**
 * `list(@ZodQuery(listQuery) query: z.output<typeof listQuery>)`: validates the query string with
 * an object schema (400 naming each offending parameter) and documents each of its fields as a
 * query parameter. `inputLabel` ("The query") selects whole-sentence messages, as for ZodBody.
 */
export function ZodQuery<S extends QuerySchema>(schema: S, options: { inputLabel?: string } = {}): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    Query(new ZodValidationPipe(schema, options.inputLabel))(target, propertyKey, parameterIndex);
    documentQuery(schema, target, propertyKey);
  };
}

function documentQuery(schema: QuerySchema, target: object, propertyKey: string | symbol | undefined): void {
  const handler = handlerDescriptor(target, propertyKey);
  const objectSchema = openApiSchemaOf(schema) as { properties?: Record<string, OpenApiSchema>; required?: string[] };
  if (!objectSchema.properties) throw new Error(`The query schema of ${handler.where} must be an object schema`);
  for (const [name, property] of Object.entries(objectSchema.properties)) {
    const { description, ...parameterSchema } = property;
    ApiQuery({
      name,
      required: objectSchema.required?.includes(name) ?? false,
      schema: parameterSchema,
      ...(typeof description === 'string' ? { description } : {}),
    })(target, handler.propertyKey, handler.descriptor);
  }
}
