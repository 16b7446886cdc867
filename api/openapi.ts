/**
 * The OpenAPI 3.1 document of the API, generated from the same zod schemas that validate the requests (zod 4's JSON
 * Schema output is draft 2020-12, which the OpenAPI 3.1 base dialect extends), served at /api/openapi.json and rendered
 * at /api/docs.
 */
import { z } from 'zod';
import { DECISIONS, noteBody, NOTE_ROLES } from './decisions';
import { listQuery } from './ticket-queries';
import { relatedBody } from './related';
import { resultBody, revisitListQuery, skipBody, suggestionBody, taskParams } from './revisits';
import { supervisionQuery } from './supervision';
import { candidatesQuery, circularBody, circularListQuery, circularRecordBody, circularRecordListQuery, recordParams, statisticsQuery } from './statistics';
import { entryParams, filingBody, filingParams, filingsQuery, knowledgeCreateBody, knowledgeListQuery, knowledgeUpdateBody, sealedMaterialBody, sealedMaterialsQuery } from './knowledge';
import { appealBody, appealListQuery, appealParams, outcomeBody, packageListQuery, packageParams, sealBody, signBody, submitBody } from './appeals';
import { devSignInBody } from './dashboard';
import { idParams as outboxParams, outboxQuery } from './outbox';
import { calendarPutSchema, deadlineQuerySchema, dispatchSchema, replyCheckSchema, TICKET_NO_PATTERN } from './schemas';
import { ALL_CATEGORIES, CATEGORIES_BY_CHANNEL, CHANNELS } from '../rules/types';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

const problem = { $ref: '#/components/schemas/Problem' };
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      {
        description:
          { 400: 'invalid input: `errors` names each field', 401: 'no valid bearer token', 403: 'the role does not allow it', 404: 'no such ticket for this caller', 409: 'conflicts with the ticket state', 422: 'refused by the regulation: `violations` name rule and article', 503: 'Temporal or the database is unreachable' }[c] ?? '',
        content: { 'application/problem+json': { schema: problem } },
      },
    ]),
  );

const ticketNoParam = { name: 'ticketNo', in: 'path', required: true, schema: { type: 'string' }, description: 'platform ticket number (workflow id)' };
const idempotencyHeader = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 }, description: 'a retried request with the same key returns the first response' };

/** A query's parameters from its zod object: required unless the field is optional (or has a default). */
function queryParameters(s: z.ZodObject) {
  return Object.entries(s.shape).map(([name, field]) => ({ name, in: 'query', required: !(field as z.ZodType).safeParse(undefined).success, schema: schema(field as z.ZodType) }));
}

/** A route's path parameters from the zod object its handler parses them with. */
function pathParameters(s: z.ZodObject, description?: string) {
  return Object.entries(s.shape).map(([name, field]) => ({ name, in: 'path', required: true, schema: schema(field as z.ZodType), ...(description ? { description } : {}) }));
}

/**
 * OpenAPI 3.1's default JSON Schema dialect (draft 2020-12 plus the OpenAPI vocabulary). `jsonSchemaDialect` says it
 * explicitly: Swagger UI renders no other value and flags any other, the bare draft 2020-12 URI included.
 */
export const OAS_31_BASE_DIALECT = 'https://spec.openapis.org/oas/3.1/dialect/base';

export function openApiDocument(): Record<string, unknown> & { paths: Record<string, Record<string, unknown>> } {
  const paths: Record<string, Record<string, unknown>> = {
    '/health': { get: { summary: 'Temporal and the database reachable, with the reason when not', security: [], responses: { 200: { description: 'ok' }, 503: { description: 'a dependency is unreachable' } } } },
    '/api/v1/tickets': {
      post: {
        summary: 'Dispatch a ticket from the hotline platform (role dispatcher)',
        parameters: [idempotencyHeader],
        requestBody: { required: true, content: { 'application/json': { schema: schema(dispatchSchema) } } },
        responses: { 201: { description: 'created' }, 200: { description: 'the same dispatch again: `duplicate: true`' }, ...problems(400, 401, 403, 409) },
      },
      get: { summary: 'Tickets the caller may see, filtered, sorted, cursor-paginated', parameters: queryParameters(listQuery), responses: { 200: { description: 'a page' }, ...problems(400, 401) } },
    },
    '/api/v1/tickets/{ticketNo}': { get: { summary: 'State, deadlines and events of a ticket', parameters: [ticketNoParam], responses: { 200: { description: 'the ticket' }, ...problems(401, 404) } } },
    '/api/v1/tickets/{ticketNo}/history': { get: { summary: 'The audit trail of a ticket', parameters: [ticketNoParam], responses: { 200: { description: 'events in order' }, ...problems(401, 404) } } },
    '/api/v1/tickets/{ticketNo}/notes': {
      post: {
        summary: `A note on the ticket (roles ${NOTE_ROLES.join(', ')})`,
        parameters: [ticketNoParam, idempotencyHeader],
        requestBody: { required: true, content: { 'application/json': { schema: schema(noteBody) } } },
        responses: { 202: { description: 'recorded' }, ...problems(400, 401, 403, 404) },
      },
    },
  };
  const yearParam = { name: 'year', in: 'path', required: true, schema: { type: 'integer', minimum: 2000, maximum: 2099 } };
  Object.assign(paths, {
    '/api/v1/policy/deadlines': {
      get: {
        summary: 'Every deadline of a ticket with these attributes (第八条(一)(三), 第十一条), and whether it is provisional',
        parameters: queryParameters(deadlineQuerySchema as unknown as z.ZodObject),
        responses: { 200: { description: 'the deadlines' }, ...problems(400, 401) },
      },
    },
    '/api/v1/policy/reply-check': {
      post: {
        summary: 'Check a reply against 第十六条 (a preview: 200 whether or not it passes)',
        requestBody: { required: true, content: { 'application/json': { schema: schema(replyCheckSchema) } } },
        responses: { 200: { description: '`ok`, `violations`, `analysis`' }, ...problems(400, 401) },
      },
    },
    '/api/v1/policy/monthly/{month}': {
      get: {
        summary: 'Monthly report and appeal deadlines (第二十八条, 第三十一条)',
        parameters: [{ name: 'month', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{4}-\\d{2}$' } }],
        responses: { 200: { description: 'the deadlines of the month' }, ...problems(400, 401) },
      },
    },
    '/api/v1/policy/parameters': { get: { summary: 'The parameter table in force, each with its article', responses: { 200: { description: 'parameters' }, ...problems(401) } } },
    '/api/v1/calendar/{year}': {
      get: { summary: 'A year of the working calendar: holidays, make-up days, overrides', parameters: [yearParam], responses: { 200: { description: 'the arrangement' }, ...problems(400, 401) } },
      put: {
        summary: 'Load or correct a year (role admin); open tickets recompute their deadlines',
        parameters: [yearParam],
        requestBody: { required: true, content: { 'application/json': { schema: schema(calendarPutSchema(2026)) } } },
        responses: { 200: { description: 'the new arrangement and how many tickets were signalled' }, ...problems(400, 401, 403, 503) },
      },
    },
  });
  const taskParam = pathParameters(taskParams, 'revisit task id');
  const post = (summary: string, body: z.ZodType, parameters: unknown[], codes = [400, 401, 403, 404, 409, 422], answer: Record<string, unknown> = { 200: { description: 'done' } }) => ({
    post: { summary, parameters, requestBody: { required: true, content: { 'application/json': { schema: schema(body) } } }, responses: { ...answer, ...problems(...codes) } },
  });
  /** A POST that creates a record: 201 with it. */
  const create = (summary: string, body: z.ZodType) => post(summary, body, [], undefined, { 201: { description: 'created' } });
  Object.assign(paths, {
    '/api/v1/revisits': { get: { summary: 'The revisit work list (第十七条): tasks of the daily draw with their 第十九条 exemptions', parameters: queryParameters(revisitListQuery), responses: { 200: { description: 'a page' }, ...problems(400, 401, 403) } } },
    '/api/v1/revisits/{id}/skip': post('No revisit of an exempt ticket, with its ground (第十九条)', skipBody, taskParam),
    '/api/v1/revisits/{id}/result': post('The revisit\'s result (第十七条–第二十条); answers the proposed reopen', resultBody, taskParam),
    '/api/v1/revisits/{id}/suggestion': post('Confirm or dismiss the proposed reopen (第十七条、第十八条)', suggestionBody, taskParam),
    '/api/v1/supervision': { get: { summary: 'Supervision cases (第二十二条–第二十三条): open, late, escalated', parameters: queryParameters(supervisionQuery), responses: { 200: { description: 'a page' }, ...problems(400, 401) } } },
    '/api/v1/tickets/{ticketNo}/related': post('Link a related ticket by hand (第二十二条(二), 委政务服务处 only)', relatedBody, [ticketNoParam]),
    '/api/v1/tickets/{ticketNo}/related/{relatedNo}': {
      delete: {
        summary: 'Unlink a related ticket (第二十二条(二), 委政务服务处 only)',
        parameters: [ticketNoParam, { name: 'relatedNo', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'the ticket' }, ...problems(400, 401, 403, 404, 409) },
      },
    },
  });
  const get = (summary: string, query: z.ZodType, extra: unknown[] = []) => ({
    get: { summary, parameters: [...extra, ...queryParameters(query as unknown as z.ZodObject)], responses: { 200: { description: 'ok' }, ...problems(400, 401, 403) } },
  });
  Object.assign(paths, {
    '/api/v1/me': { get: { summary: 'Who the token says the caller is: user, unit (with its name), roles, whether they see every unit', responses: { 200: { description: 'the caller' }, ...problems(401) } } },
    '/dashboard': { get: { summary: 'The division\'s dashboard (Chinese HTML page; it signs in with a bearer token and reads the routes below)', security: [], responses: { 200: { description: 'text/html' } } } },
    '/dashboard/config.json': { get: { summary: 'The dashboard\'s names, and whether the development sign-in is on (local runs only)', security: [], responses: { 200: { description: 'ok' } } } },
    '/dashboard/dev-sign-in': {
      post: {
        summary: 'Local runs only: a token for a unit and roles, signed with the key of `npm run token` (404 in production)',
        security: [],
        requestBody: { required: true, content: { 'application/json': { schema: schema(devSignInBody) } } },
        responses: { 200: { description: '`{ token }`' }, ...problems(400), 404: { description: 'the development sign-in is off', content: { 'application/problem+json': { schema: problem } } } },
      },
    },
    '/api/v1/admin/outbox': get('Notifications that failed for good (`failed`: refused by the receiver; `skipped`: no webhook), or in another status (role admin)', outboxQuery),
    '/api/v1/admin/outbox/{id}/redeliver': {
      post: {
        summary: 'Deliver a failed or skipped notification again (role admin): 202, delivered by a workflow with retries',
        parameters: pathParameters(outboxParams),
        responses: { 202: { description: 'queued again' }, ...problems(400, 401, 403, 404, 409) },
      },
    },
    '/api/v1/statistics': get('第二十四条 statistics per unit and for the Commission, with the 三率; `Accept: text/csv` for CSV (UTF-8 with BOM)', statisticsQuery),
    '/api/v1/circulars/candidates': get('第二十四条 the units meeting a criticism criterion, with the tickets behind each', candidatesQuery),
    '/api/v1/circulars': { ...create('Issue a circular (通报, 第二十四条)', circularBody), ...get('The circulars', circularListQuery) },
    '/api/v1/circulars/{id}/print': { get: { summary: 'A circular as a printable page', parameters: pathParameters(recordParams), responses: { 200: { description: 'text/html' }, ...problems(401, 404) } } },
    '/api/v1/circular-records': { ...create('A referral (第二十五条), good practice (第二十六条), or media exposure / city circular (第二十四条(三))', circularRecordBody), ...get('The records', circularRecordListQuery) },
    '/api/v1/appeals': { ...create('File an appeal against a 不满意 rating (第二十七条–第二十八条)', appealBody), ...get('The appeals', appealListQuery) },
    '/api/v1/appeals/{id}/outcome': post('The hotline centre\'s decision on an appeal, recorded by 委政务服务处', outcomeBody, pathParameters(appealParams)),
    '/api/v1/knowledge': { ...create('A knowledge-base entry of the unit that issues the policy (第二十九条)', knowledgeCreateBody), ...get('Entries, searched over title and body (Chinese terms)', knowledgeListQuery) },
    '/api/v1/knowledge/{id}': {
      get: { summary: 'An entry with its versions', parameters: pathParameters(entryParams), responses: { 200: { description: 'the entry' }, ...problems(401, 404) } },
      put: { summary: 'A new version; a change of maintainer is reported to 委政务服务处 (第三十条)', parameters: pathParameters(entryParams), requestBody: { required: true, content: { 'application/json': { schema: schema(knowledgeUpdateBody) } } }, responses: { 200: { description: 'the entry' }, ...problems(400, 401, 403, 404, 409, 422) } },
    },
    '/api/v1/filings': get('The monthly filings of 第三十一条 and who has not filed', filingsQuery),
    '/api/v1/filings/{id}': post('A unit files its monthly report (第三十一条); with nothing new, as a confirmation', filingBody, pathParameters(filingParams)),
    '/api/v1/sealed-materials': { ...create('Sealed material sent to 委政务服务处 (第三十二条)', sealedMaterialBody), ...get('The sealed material', sealedMaterialsQuery) },
    '/api/v1/appeal-packages': get('The monthly appeal packages (第二十七条)', packageListQuery),
    '/api/v1/appeal-packages/{id}/sign': post('The leader in charge signs the package', signBody, pathParameters(packageParams)),
    '/api/v1/appeal-packages/{id}/seal': post('The seal is confirmed', sealBody, pathParameters(packageParams)),
    '/api/v1/appeal-packages/{id}/submit': post('The package is submitted to 委政务服务处 (by the 6th)', submitBody, pathParameters(packageParams)),
  });
  for (const d of DECISIONS) {
    paths[`/api/v1/tickets/{ticketNo}/${d.path}`] = {
      post: {
        summary: `${d.summary} (roles: ${d.roles.join(', ')})`,
        parameters: [ticketNoParam, idempotencyHeader],
        requestBody: { required: true, content: { 'application/json': { schema: schema(d.body) } } },
        responses: { 200: { description: 'the ticket after the decision' }, ...problems(400, 401, 403, 404, 409, 422, 503) },
      },
    };
  }
  return harden({
    openapi: '3.1.0',
    servers: [{ url: '/', description: 'this API' }],
    info: { title: 'Tianjin Transport Commission hotline work orders', version: '1', description: '津交发〔2023〕118号 as an API. Errors are RFC 9457 problem details.' },
    jsonSchemaDialect: OAS_31_BASE_DIALECT,
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
            violations: { type: 'array', items: { type: 'object', properties: { rule: { type: 'string' }, article: { type: 'string' }, reason: { type: 'string' }, field: { type: 'string' } } } },
          },
        },
      },
    },
    paths,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// What the server enforces, said in the document (issue 11: an outside fuzzer found the document saying less)
// ---------------------------------------------------------------------------------------------------------------

type Operation = { operationId?: string; parameters?: { name: string; in: string; schema?: Record<string, unknown> }[]; responses: Record<string, unknown>; requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };
/** The HTTP methods an operation of the document may have. */
export const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `post` `/api/v1/tickets/{ticketNo}/reply/review` → `postTicketsReplyReview`; the same shape always, so unique. */
export function operationIdOf(method: string, path: string): string {
  const words = path
    .replace(/^\/api\/v1/, '')
    .split(/[/.]/)
    .filter((w) => w && !w.startsWith('{'))
    .flatMap((w) => w.split('-'));
  const byParam = [...path.matchAll(/\{(\w+)\}/g)].map((m) => `By${m[1]![0]!.toUpperCase()}${m[1]!.slice(1)}`);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') + byParam.join('');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'invalid input (a body, query or path parameter): `errors` names each field',
  401: 'no valid bearer token (checked before anything else)',
  406: 'the Accept header asks for a type this route does not serve',
  413: 'the body is larger than the limit',
  422: 'refused: by the regulation (`violations` name rule and article), or an Idempotency-Key reused for a different request',
  415: 'the body is not application/json in UTF-8',
  429: 'too many requests for this token; retry later (RateLimit headers)',
  503: 'Temporal or the database is unreachable; the reason is in `detail`',
};

const YEAR_BOUND_DATE_TIME = '^20[0-9]{2}-';
const DATE_NAMES = new Set(['from', 'to', 'date', 'day']);

/** api/body.ts: no text the API stores may hold NUL (PostgreSQL cannot); said as a pattern on every free string. */
const NO_NUL = '^[^\\u0000]*$';
function textWithoutNul(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(textWithoutNul);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'string' && o.pattern === undefined && o.enum === undefined && o.const === undefined && o.format === undefined) o.pattern = NO_NUL;
  Object.values(o).forEach(textWithoutNul);
}

/** Adds each constraint to a (zod-generated) object schema, in place. */
function tighten(schema: Record<string, unknown> | undefined, path: string): void {
  if (!schema || typeof schema !== 'object') return;
  const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
  if (props) {
    for (const [name, prop] of Object.entries(props)) {
      // 2000–2099, the calendar's years (next to the date-time pattern zod writes).
      if (name === 'dispatchedAt' || name === 'dispatchedToUnitAt') prop.allOf = [{ pattern: YEAR_BOUND_DATE_TIME }];
      if (DATE_NAMES.has(name) && prop.type === 'string' && !prop.format) prop.format = 'date';
    }
  }
  if (path === '/api/v1/tickets' && props?.category && props.channel) {
    // 第十一条(一)–(三): the categories of each channel.
    props.category = { type: 'string', enum: ALL_CATEGORIES };
    schema.allOf = CHANNELS.map((c) => ({ if: { properties: { channel: { const: c } }, required: ['channel'] }, then: { properties: { category: { enum: [...CATEGORIES_BY_CHANNEL[c]] } } } }));
  }
  if (path === '/api/v1/policy/reply-check') schema.minProperties = 1;
}

/**
 * Every operation gets an `operationId`; every /api/v1 operation documents the statuses the middleware answers
 * (401 first, 429, 503, and 400/413/415 for bodies); the ticket number's pattern and the Idempotency-Key's rule are in
 * their parameters; a dispatched ticket's number links to the decision paths (stateful testing follows the links).
 */
function harden<T extends { paths: Record<string, Record<string, unknown>> }>(doc: T): T {
  const decisionOps: { id: string }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op) continue;
      op.operationId ??= operationIdOf(method, path);
      for (const p of op.parameters ?? []) {
        if (p.in === 'path' && (p.name === 'ticketNo' || p.name === 'relatedNo')) p.schema = { type: 'string', pattern: TICKET_NO_PATTERN.source, minLength: 4, maxLength: 64 };
        if (p.in === 'header' && p.name === 'Idempotency-Key') p.schema = { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$', minLength: 1, maxLength: 200 };
        if (p.in === 'query' && DATE_NAMES.has(p.name) && p.schema?.type === 'string' && !p.schema.format) p.schema.format = 'date';
        textWithoutNul(p.schema);
      }
      tighten(op.requestBody?.content['application/json']?.schema, path);
      textWithoutNul(op.requestBody?.content['application/json']?.schema);
      if (!path.startsWith('/api/v1/')) continue;
      const add = (...codes: number[]) => {
        for (const c of codes) op.responses[String(c)] ??= { description: STATUS_TEXT[c], content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
      };
      add(400, 401, 429, 503);
      // A key sent again with a different request is refused (api/idempotency.ts).
      if (op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key')) add(422);
      if (method === 'post' || method === 'put') add(413, 415);
      if (path === '/api/v1/statistics') add(406);
      if (method === 'post' && path.startsWith('/api/v1/tickets/{ticketNo}/')) decisionOps.push({ id: op.operationId });
    }
  }
  const dispatch = doc.paths['/api/v1/tickets']?.post as Operation | undefined;
  const created = dispatch?.responses['201'] as Record<string, unknown> | undefined;
  if (created) {
    const links: Record<string, unknown> = {
      getTicket: { operationId: operationIdOf('get', '/api/v1/tickets/{ticketNo}'), parameters: { ticketNo: '$response.body#/ticket/ticketNo' } },
      getTicketHistory: { operationId: operationIdOf('get', '/api/v1/tickets/{ticketNo}/history'), parameters: { ticketNo: '$response.body#/ticket/ticketNo' } },
    };
    for (const d of decisionOps) links[d.id] = { operationId: d.id, parameters: { ticketNo: '$response.body#/ticket/ticketNo' } };
    created.links = links;
  }
  return doc;
}

/**
 * The document with the known unit ids (the unit table, the one the API checks against) as the enum of every `unitId`
 * of a request body: a fuzzer then sends mostly known units, and an unknown one is documented as the 400 it gets.
 */
export function withUnitIds<T extends { paths: Record<string, Record<string, unknown>> }>(doc: T, unitIds: readonly string[]): T {
  const copy = structuredClone(doc);
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    const props = o.properties as Record<string, Record<string, unknown>> | undefined;
    if (props?.unitId && props.unitId.type === 'string') props.unitId = { type: 'string', enum: [...unitIds], description: 'a unit id of the unit table' };
    Object.values(o).forEach(walk);
  };
  for (const item of Object.values(copy.paths))
    for (const method of METHODS) walk((item[method] as Operation | undefined)?.requestBody);
  return copy;
}

/** A page that renders the document with Swagger UI (assets served from swagger-ui-dist). */
export const DOCS_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Hotline API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;
