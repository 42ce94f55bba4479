/**
 * Credential parameters: a string literal that reaches one is a secret committed with the code
 * (hardcoded-secret). The value is traced through constants and `process.env.X || 'fallback'`.
 */
import { EMPTY } from '../values.js';
import type { ApiModel, CallCtx, ModelTable } from './types.js';

const keyArg = (i: number, label: string): ApiModel => ({
  call: (c) => {
    c.hardcoded(c.arg(i), label);
    return EMPTY;
  },
});

function optionSecret(c: CallCtx, i: number, keys: string[], label: string): void {
  for (const k of keys) c.hardcoded(c.prop(c.arg(i), k), label);
}

const dbConfig = (i: number, label: string): ApiModel => ({
  call: (c) => {
    optionSecret(c, i, ['password', 'pass', 'pwd'], label);
    return undefined;
  },
});

export const CREDENTIAL_MODELS: ModelTable = {
  jsonwebtoken: { members: { sign: 'jwt.sign', verify: 'jwt.sign', decode: 'jwt.noop' } },
  'jwt.sign': keyArg(1, 'JWT signing key'),
  'jwt.noop': {},
  'express-session': { call: (c) => (optionSecret(c, 0, ['secret'], 'session secret'), c.api('express.mw')) },
  'cookie-session': { call: (c) => (optionSecret(c, 0, ['secret', 'keys'], 'cookie-session key'), c.api('express.mw')) },
  'cookie-parser': { call: (c) => (c.hardcoded(c.arg(0), 'cookie signing secret'), c.api('express.mw')) },
  crypto: { members: { createHmac: 'crypto.hmac', createCipheriv: 'crypto.cipher', createDecipheriv: 'crypto.cipher', createCipher: 'crypto.cipher0', createDecipher: 'crypto.cipher0', randomBytes: 'jwt.noop', createHash: 'jwt.noop' } },
  'crypto.hmac': keyArg(1, 'HMAC key'),
  'crypto.cipher': keyArg(1, 'encryption key'),
  'crypto.cipher0': keyArg(1, 'encryption password'),
  'passport-jwt': { members: { Strategy: 'passport-jwt.Strategy' } },
  'passport-jwt.Strategy': { construct: (c) => (optionSecret(c, 0, ['secretOrKey'], 'JWT verification key'), EMPTY) },
  'secret.pgConfig': dbConfig(0, 'database password'),
};

/** Database constructors that take a config object with a password (wrapped around the query models). */
export const CREDENTIAL_CONFIG_TYPES: Array<{ type: string; arg: number; keys: string[]; label: string; construct?: boolean }> = [
  { type: 'pg.PoolClass', arg: 0, keys: ['password'], label: 'database password', construct: true },
  { type: 'mysql.create', arg: 0, keys: ['password'], label: 'database password' },
  { type: 'mssql.connect', arg: 0, keys: ['password'], label: 'database password' },
  { type: 'mssql.PoolClass', arg: 0, keys: ['password'], label: 'database password', construct: true },
  { type: 'knex', arg: 0, keys: ['password'], label: 'database password' },
];
