import { Body } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { z } from 'zod';
import { recordDocumentedExample } from './body-examples';
import { closed } from './closed';
import { handlerDescriptor } from './handler-descriptor';
import { openApiSchemaOf } from './openapi-schema';
import { ZodValidationPipe } from './parse-with';

export interface BodyDocumentation<S extends z.ZodType> {
  /** A body that the schema accepts, shown in /docs (checked by checkDocumentedExamples). */
  readonly example: z.input<S>;
  readonly description?: string;
  /** Whether a body must be sent at all (default true). */
  readonly required?: boolean;
}

export interface ZodBodyOptions<S extends z.ZodType> extends BodyDocumentation<S> {
  /** Names the body in whole-sentence messages ("The configuration is required"); see ZodValidationPipe. */
  readonly inputLabel?: string;
}

/**
 * `create(@ZodBody(createTemplateSchema, { example }) body: CreateTemplate)`: validates the request
 * body with the schema (400 naming each offending field) and documents the same schema, with the
 * example, as the operation's request body.
 */
export function ZodBody<S extends z.ZodType>(schema: S, options: ZodBodyOptions<S>): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    Body(new ZodValidationPipe(schema, options.inputLabel))(target, propertyKey, parameterIndex);
    documentBody(schema, options, target, propertyKey);
  };
}

/**
 * `create(@DocumentedBody(requestSchema, { example }) body: unknown)`: the raw body, documented with
 * the schema that the handler parses it with — for a parse that needs more than the body (the
 * tenant's settings, the clock, a signature checked first). Pass the very schema the parse uses (or
 * one built by the same factory), so that the document cannot drift from the validation.
 */
export function DocumentedBody<S extends z.ZodType>(schema: S, documentation: BodyDocumentation<S>): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    Body()(target, propertyKey, parameterIndex);
    documentBody(schema, documentation, target, propertyKey);
  };
}

function documentBody<S extends z.ZodType>(schema: S, documentation: BodyDocumentation<S>, target: object, propertyKey: string | symbol | undefined): void {
  const handler = handlerDescriptor(target, propertyKey);
  recordDocumentedExample(handler.where, schema, documentation.example);
  ApiBody({
    schema: openApiSchemaOf(schema),
    examples: { example: { value: documentation.example } },
    required: documentation.required ?? true,
    ...(documentation.description === undefined ? {} : { description: documentation.description }),
  })(target, handler.propertyKey, handler.descriptor);
}

/** The body of an action that takes no input (`POST …/cancel`): none at all, or an empty JSON object. */
export const emptyBody = closed({}).optional();

/**
 * `cancel(@Param('id') id: string, @EmptyBody() _body: object | undefined)`: documents that the action takes
 * no input, and refuses a body that carries fields (400 naming each), as every endpoint refuses
 * fields it does not know.
 */
export function EmptyBody(): ParameterDecorator {
  return ZodBody(emptyBody, { example: {}, required: false, description: 'No input: send no body, or {}' });
}
