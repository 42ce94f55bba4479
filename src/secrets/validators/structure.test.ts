import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base64JsonValidator, decodeBase64Json, validateBasicAuth, validateDiscordBotToken, validatePrivateKeyBlock } from './structure.js';

describe('base64 JSON payloads', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');

  it('decodes standard and url-safe base64, with or without padding', () => {
    expect(decodeBase64Json(b64({ a: 1 }))).toEqual({ a: 1 });
    expect(decodeBase64Json(Buffer.from('{"k":"v~~"}').toString('base64url'))).toEqual({ k: 'v~~' });
    expect(decodeBase64Json('bm90IGpzb24')).toBeUndefined();
    expect(decodeBase64Json(b64([1]))).toBeUndefined();
  });

  it('checks required keys and exposes the named ones (Sentry org token layout)', () => {
    const v = base64JsonValidator({ prefix: 'sntrys_', stop: '_', required: ['iat'], expose: { url: 'url' } });
    const token = `sntrys_${b64({ iat: 1, url: 'https://sentry.io', org: 'acme' }).replace(/=+$/, '')}_${'k'.repeat(43)}`;
    expect(v(token)).toMatchObject({ status: 'valid', properties: { url: 'https://sentry.io' } });
    expect(v(`sntrys_${b64({ url: 'x' })}_${'k'.repeat(43)}`).status).toBe('invalid');
  });
});

describe('private key blocks', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  it('accepts DER bodies, also with JSON-escaped newlines', () => {
    expect(validatePrivateKeyBlock(pkcs8).status).toBe('valid');
    expect(validatePrivateKeyBlock(JSON.stringify(pkcs8).slice(1, -1)).status).toBe('valid');
  });

  it('rejects placeholder bodies and a mismatched END line', () => {
    expect(validatePrivateKeyBlock('-----BEGIN PRIVATE KEY-----\n' + 'A'.repeat(64) + '\n-----END PRIVATE KEY-----').status).toBe('invalid');
    expect(validatePrivateKeyBlock(pkcs8.replace('END PRIVATE', 'END RSA PRIVATE')).status).toBe('invalid');
  });

  it('checks the OpenSSH magic and accepts RFC 1421 encrypted keys', () => {
    const blob = Buffer.concat([Buffer.from('openssh-key-v1\0'), randomBytes(100)]).toString('base64');
    expect(validatePrivateKeyBlock(`-----BEGIN OPENSSH PRIVATE KEY-----\n${blob}\n-----END OPENSSH PRIVATE KEY-----`).status).toBe('valid');
    const other = randomBytes(100).toString('base64');
    expect(validatePrivateKeyBlock(`-----BEGIN OPENSSH PRIVATE KEY-----\n${other}\n-----END OPENSSH PRIVATE KEY-----`).status).toBe('invalid');
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const enc = rsa.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'x' }).toString();
    expect(validatePrivateKeyBlock(enc)).toMatchObject({ status: 'valid', note: 'RFC 1421 encrypted key' });
  });
});

describe('Discord bot tokens and basic auth', () => {
  it('requires a base64 snowflake before the first dot', () => {
    const id = Buffer.from('123456789012345678').toString('base64');
    expect(validateDiscordBotToken(`${id}.AbCdEf.${'x'.repeat(38)}`)).toMatchObject({ status: 'valid', properties: { botUserId: '123456789012345678' } });
    expect(validateDiscordBotToken(`${Buffer.from('hello world, hi!!').toString('base64')}.AbCdEf.xyz`).status).toBe('invalid');
  });

  it('requires user:password', () => {
    expect(validateBasicAuth(Buffer.from('ci-bot:pa55').toString('base64'))).toMatchObject({ status: 'valid', properties: { user: 'ci-bot' } });
    expect(validateBasicAuth(Buffer.from('nocolon').toString('base64')).status).toBe('invalid');
    expect(validateBasicAuth(Buffer.from('user:').toString('base64')).status).toBe('invalid');
  });
});
