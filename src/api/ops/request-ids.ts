/**
 * Request ids: every request gets one (the load balancer's `x-request-id` when it sends a sane
 * one, else a new UUID). It is logged with every line of the request (`request_id` in pino's
 * JSON), sent back in the `x-request-id` header, and added to every error body as `request_id`
 * (additive), so a user's report can be matched to the server log.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LogController, type FastifyInstance } from 'fastify';

const REQUEST_ID_HEADER = 'x-request-id';
/** What we accept from a proxy: short, printable, no spaces (it goes into logs and headers). */
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = Array.isArray(given) ? given[0] : given;
  return id !== undefined && SANE_ID.test(id) ? id : randomUUID();
}

/** Fastify server options for the ids: pass to `Fastify({...})`. */
export function requestIdOptions() {
  return { genReqId: requestIdOf, requestIdHeader: false as const, logController: new LogController({ requestIdLogLabel: 'request_id' }) };
}

function isErrorBody(payload: unknown): payload is Record<string, unknown> {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) && 'code' in payload && 'error' in payload && 'message' in payload;
}

export function registerRequestIds(app: FastifyInstance): void {
  app.addHook('onRequest', async (req, reply) => {
    reply.header(REQUEST_ID_HEADER, req.id);
  });
  // Every error body, whichever path rendered it (catalogue, inference, not found), gains the id.
  app.addHook('preSerialization', async (req, reply, payload) => {
    if (reply.statusCode < 400 || !isErrorBody(payload) || 'request_id' in payload) return payload;
    return { ...payload, request_id: req.id };
  });
}
