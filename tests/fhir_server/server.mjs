// Test-only FHIR R4 server on loopback: Medplum's FHIR router over its in-memory
// repository (transactions, conditional create with If-None-Exist, search), behind a
// check of every resource it receives against HL7's R4 JSON schema and FHIR's
// StructureDefinitions (validation.mjs): anything invalid is refused with 400 and an
// OperationOutcome, as a real EHR would. A bearer token is required when TOKEN is set.
//
//   PORT=0 TOKEN=secret node server.mjs     prints "listening PORT" once it accepts requests
//
// SMART Backend Services: with CLIENT_ID and PUBLIC_KEY_FILE (PEM) set, POST /auth/token
// takes a client_credentials grant with a JWT client assertion (RS384 or ES384, checked:
// signature, iss = sub = CLIENT_ID, aud = this URL, exp at most 5 minutes on, jti not seen
// before) and issues an access token for TOKEN_SECONDS (default 300), accepted as a bearer.
//
// Test controls (not FHIR): GET /_test/stats (requests seen, resources stored by type),
// POST /_test/hold {"ms": N} (file the next transaction, then wait N ms before answering),
// POST /_test/reset (as if just started: nothing stored, counts at zero, no tokens issued;
// the test suite shares one server between tests, tests/conftest.py).
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { getStatus } from '@medplum/core';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import { problems } from './validation.mjs';

let repo = new MemoryRepository();
const router = new FhirRouter();
const token = process.env.TOKEN ?? '';
let stats = { requests: 0, transactions: 0, refused: 0, stored: {} };
let holdMs = 0;
const clientId = process.env.CLIENT_ID ?? '';
const publicKey = process.env.PUBLIC_KEY_FILE ? createPublicKey(readFileSync(process.env.PUBLIC_KEY_FILE)) : null;
const tokenSeconds = Number(process.env.TOKEN_SECONDS ?? 300);
const issued = new Map(); // access token -> expiry (ms)
const seenJti = new Set();

function oauthError(response, error, description) {
  response.writeHead(error === 'invalid_client' ? 401 : 400, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ error, error_description: description }));
}

function issueToken(request, response, text) {
  stats.tokenRequests = (stats.tokenRequests ?? 0) + 1;
  const form = new URLSearchParams(text);
  if (form.get('grant_type') !== 'client_credentials') return oauthError(response, 'unsupported_grant_type', 'client_credentials only');
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return oauthError(response, 'invalid_request', 'a jwt-bearer client assertion is required');
  }
  const parts = (form.get('client_assertion') ?? '').split('.');
  if (parts.length !== 3 || !publicKey) return oauthError(response, 'invalid_client', 'no usable client assertion');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  const algorithms = { RS384: {}, ES384: { dsaEncoding: 'ieee-p1363' } };
  if (!(header.alg in algorithms)) return oauthError(response, 'invalid_client', `alg ${header.alg} not accepted`);
  const signed = verify('sha384', Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: publicKey, ...algorithms[header.alg] }, Buffer.from(parts[2], 'base64url'));
  if (!signed) return oauthError(response, 'invalid_client', 'the signature does not verify');
  const now = Date.now() / 1000;
  const tokenUrl = `http://127.0.0.1:${server.address().port}/auth/token`;
  if (claims.iss !== clientId || claims.sub !== clientId) return oauthError(response, 'invalid_client', 'unknown client');
  if (claims.aud !== tokenUrl) return oauthError(response, 'invalid_client', `aud must be ${tokenUrl}`);
  if (!(claims.exp > now && claims.exp <= now + 310)) return oauthError(response, 'invalid_client', 'exp must be within 5 minutes');
  if (!claims.jti || seenJti.has(claims.jti)) return oauthError(response, 'invalid_client', 'jti reused');
  seenJti.add(claims.jti);
  const token = randomUUID();
  issued.set(token, Date.now() + tokenSeconds * 1000);
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: tokenSeconds,
    scope: form.get('scope') ?? '' }));
}

function authorized(request) {
  const given = (request.headers.authorization ?? '').replace(/^Bearer /, '');
  if (token && given === token) return true;
  const expires = issued.get(given);
  return expires !== undefined && expires > Date.now();
}

function outcome(code, text) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] };
}

function reply(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/fhir+json' });
  response.end(JSON.stringify(body));
}

async function storedCounts() {
  const counts = {};
  for (const type of ['Patient', 'QuestionnaireResponse', 'DocumentReference', 'Flag']) {
    counts[type] = (await repo.searchResources({ resourceType: type, count: 1000 })).length;
  }
  return counts;
}

async function handle(request, response, text) {
  const url = new URL(request.url, 'http://127.0.0.1');
  if (url.pathname === '/_test/stats') {
    return reply(response, 200, { ...stats, stored: await storedCounts() });
  }
  if (url.pathname === '/_test/reset' && request.method === 'POST') {
    repo = new MemoryRepository();
    stats = { requests: 0, transactions: 0, refused: 0, stored: {} };
    holdMs = 0;
    issued.clear();
    seenJti.clear();
    return reply(response, 200, { reset: true });
  }
  if (url.pathname === '/_test/hold') {
    holdMs = JSON.parse(text).ms;
    return reply(response, 200, { holdMs });
  }
  if (url.pathname === '/auth/token' && request.method === 'POST') {
    return issueToken(request, response, text);
  }
  stats.requests += 1;
  if ((token || publicKey) && !authorized(request)) {
    stats.refused += 1;
    return reply(response, 401, outcome('login', 'a valid bearer token is required'));
  }
  let body;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      stats.refused += 1;
      return reply(response, 400, outcome('structure', 'the body is not JSON'));
    }
    const found = problems(body);
    if (found.length) {
      stats.refused += 1;
      return reply(response, 400, { resourceType: 'OperationOutcome', issue: found.map(
        (text) => ({ severity: 'error', code: 'invalid', diagnostics: text })) });
    }
  }
  const query = Object.fromEntries(url.searchParams);
  const [result, resource] = await router.handleRequest(
    { method: request.method, url: url.pathname + url.search, body, params: {}, query }, repo);
  if (request.method === 'POST' && url.pathname === '/') {
    stats.transactions += 1;
    if (holdMs) {
      const wait = holdMs;
      holdMs = 0;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return reply(response, getStatus(result), resource ?? result);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    handle(request, response, Buffer.concat(chunks).toString('utf8')).catch((error) => {
      reply(response, 500, outcome('exception', String(error)));
    });
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
