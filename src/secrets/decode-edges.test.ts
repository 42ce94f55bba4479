import { describe, expect, it } from 'vitest';
import { Deadline } from './budget.js';
import { findEncodedBlobs, MAX_BLOB, MIN_BASE64 } from './decode.js';

/*
 * The edges of each decoder: which runs are tried, where a blob's span starts and ends, and what
 * is deliberately left alone. Exact lists of [encoding, decoded, span text].
 */

const all = (text: string, runs?: number[], remaining = 1 << 22) =>
  findEncodedBlobs(text, { remaining }, runs).map((b) => [b.encoding, b.decoded, text.slice(b.start, b.end)]);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const hex = (s: string) => Buffer.from(s).toString('hex');

describe('base64 runs', () => {
  it('takes up to two = of padding into the span, never a third', () => {
    const one = b64('password=Rq8Tn2Wx5Ks1Lz7Mv3Hp'); // 29 bytes: one = of padding
    const two = b64('password=Rq8Tn2Wx5Ks1Lz7Mv3H'); // 28 bytes: two
    expect(one.endsWith('=') && !one.endsWith('==')).toBe(true);
    expect(two.endsWith('==')).toBe(true);
    expect(all(`a ${one} b ${two}= c`)).toEqual([
      ['base64', 'password=Rq8Tn2Wx5Ks1Lz7Mv3Hp', one],
      ['base64', 'password=Rq8Tn2Wx5Ks1Lz7Mv3H', two],
    ]);
  });

  it('tries runs from MIN_BASE64 characters up, and none shorter', () => {
    const at = b64('user=adm1n:Pw9Qz4Lk2X'); // 21 bytes → 28 characters
    expect(at).toHaveLength(MIN_BASE64);
    expect(all(`x ${at} y`)).toEqual([['base64', 'user=adm1n:Pw9Qz4Lk2X', at]]);
    const below = b64('user=adm1n:Pw9Qz4Lk2'); // 20 bytes → 27 characters and one =
    expect(below.replace(/=+$/, '').length).toBe(MIN_BASE64 - 1);
    expect(all(`x ${below} y`)).toEqual([]);
  });

  it('reads standard (+ /) and URL-safe (- _) alphabets as one run', () => {
    const std = b64('??>>token=Zk29Lq0xPw7Nc5Rt1Ym9~~');
    const url = Buffer.from('??>>token=Zk29Lq0xPw7Nc5Rt1Ym9~~').toString('base64url');
    expect(std).toMatch(/[+/]/);
    expect(url).toMatch(/[-_]/);
    expect(all(`${std} ${url}`)).toEqual([
      ['base64', '??>>token=Zk29Lq0xPw7Nc5Rt1Ym9~~', std],
      ['base64', '??>>token=Zk29Lq0xPw7Nc5Rt1Ym9~~', url],
    ]);
  });

  it('decodes text starting anywhere in printable ASCII (quanta I..Z and a..f)', () => {
    // ' ' encodes to I, 'd' to Z, 'h' to a, '~' to f: the ends of the cheap first-character check.
    const texts = [' token=Zk29Lq0xPw7Nc5Rt1Ym9', 'deploy_key=Zk29Lq0xPw7Nc5Rt1Ym9', 'hook_secret=Zk29Lq0xPw7Nc5Rt1', '~/.npmrc _authToken=Zk29Lq0xPw7Nc'];
    expect(texts.map((t) => b64(t)[0])).toEqual(['I', 'Z', 'a', 'f']);
    expect(all(texts.map(b64).join('\n'))).toEqual(texts.map((t) => ['base64', t, b64(t)]));
  });

  it('decodes text that starts with a line break, a carriage return or a tab (quanta C and D)', () => {
    // A regression: the cheap first-character check allowed only printable ASCII, so a base64'd
    // file starting with a blank line was never decoded although printableText accepts it.
    const texts = ['\nAWS_SECRET_ACCESS_KEY=Zk29Lq0xPw7Nc5Rt1Ym9', '\r\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9HbQs', '\tpassword: Zk29Lq0xPw7Nc5Rt1Ym9'];
    expect(texts.map((t) => b64(t)[0])).toEqual(['C', 'D', 'C']);
    expect(all(texts.map(b64).join(' '))).toEqual(texts.map((t) => ['base64', t, b64(t)]));
  });

  it('keeps a decoded text of exactly 16 characters, even when it took more bytes', () => {
    const t = 'abcdefghijk\u00e9\u00e9\u00e9\u00e9\u00e9'; // 21 bytes, 16 characters
    expect(all(b64(t))).toEqual([['base64', t, b64(t)]]);
  });

  it('skips runs that cannot be text: binary, a length of 4n+1, no word, under 16 characters', () => {
    const binary = Buffer.from([0x48, 0x01, 0x02, 0x03, ...Array.from({ length: 24 }, (_, i) => 0x41 + i)]).toString('base64');
    const plusOne = b64('secret=Zk29Lq0xPw7Nc5Rt1Ym9HbQ') + 'Q'; // 40 + 1 characters, no padding
    const noWord = b64('a1-b2-c3-d4-e5-f6-g7-h8-i9-j0'); // printable, letters, but no run of three
    const fewChars = b64('abc\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'); // 23 bytes, 13 characters
    expect(plusOne.length % 4).toBe(1);
    expect(all([binary, plusOne, noWord, fewChars].join(' '))).toEqual([]);
  });

  it('decodes a run of exactly MAX_BLOB; a longer one only when its head is text and the budget has room', () => {
    const unit = b64('key=Zk29Lq0xPw7Nc5Rt1Ym9HbQsAb'); // 30 bytes → 40 characters, no padding
    const whole = unit.repeat(Math.floor(MAX_BLOB / unit.length));
    const body = whole + unit.slice(0, MAX_BLOB - whole.length);
    expect(body).toHaveLength(MAX_BLOB);
    const found = findEncodedBlobs(`x ${body} y`, { remaining: 1 << 22 });
    expect(found.map((b) => [b.encoding, b.start, b.end])).toEqual([['base64', 2, 2 + MAX_BLOB]]);
    // Over MAX_BLOB: decoded whole when the budget has room for it.
    const more = unit.slice(16, 20); // the next quantum of the repeated text
    const over = findEncodedBlobs(`x ${body}${more} y`, { remaining: 1 << 22 });
    expect(over.map((b) => [b.encoding, b.start, b.end, b.decoded.length])).toEqual([['base64', 2, 2 + MAX_BLOB + 4, ((MAX_BLOB + 4) / 4) * 3]]);
    // No room for even its first MAX_BLOB characters: skipped.
    expect(findEncodedBlobs(`x ${body}${more} y`, { remaining: 1 << 19 })).toEqual([]);
    // Binary after the head (AAAA decodes to NUL bytes): the whole decode is not text, skipped.
    expect(findEncodedBlobs(`x ${body}AAAA y`, { remaining: 1 << 22 })).toEqual([]);
    // Room for part of it: decoded as far as the budget goes, in whole quanta.
    const long = body + body;
    const part = findEncodedBlobs(`x ${long} y`, { remaining: 1200000 });
    expect(part.map((b) => [b.start, b.end, b.decoded.length])).toEqual([[2, 2 + 1600000, 1200000]]);
  });

  it('a run over MAX_BLOB whose head is not text (an image) is not decoded', () => {
    const unit = b64('key=Zk29Lq0xPw7Nc5Rt1Ym9HbQsAb');
    const text = unit.repeat(Math.ceil((MAX_BLOB + 400) / unit.length));
    // The first quantum decodes to a NUL byte: the cheap first-character test rejects it.
    expect(findEncodedBlobs(`x AAAA${text} y`, { remaining: 1 << 23 })).toEqual([]);
    // Text at the start, binary inside the first MAX_BLOB characters: the head test rejects it.
    const binary = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256)).toString('base64');
    expect(findEncodedBlobs(`x ${unit}${binary}${text} y`, { remaining: 1 << 23 })).toEqual([]);
  });

  it('with runs from the prefilter, tries only those runs, in order, until the budget is spent', () => {
    const t1 = 'token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs';
    const t2 = 'secret=Hq3Jw5Ke7Lr9Zt2Xy4Cu6Vi8';
    const text = `a ${b64(t1)} b ${b64(t2)} c ${b64(t1)}`;
    const runOf = (s: string, from = 0) => [text.indexOf(s, from), text.indexOf(s, from) + s.length];
    const second = runOf(b64(t2));
    const third = runOf(b64(t1), second[1]);
    expect(all(text, [...second, ...third])).toEqual([
      ['base64', t2, b64(t2)],
      ['base64', t1, b64(t1)],
    ]);
    // The budget allows one decoded blob: the second run is not decoded.
    expect(all(text, [...second, ...third], t2.length)).toEqual([['base64', t2, b64(t2)]]);
    expect(all(text, [])).toEqual([]);
  });

  it('stops when the budget is exactly spent, and decodes nothing with none left', () => {
    const t = 'token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs';
    const text = [b64(t), b64(t), b64(t)].join(' ');
    expect(all(text, undefined, t.length * 2)).toHaveLength(2);
    expect(all(text, undefined, t.length * 2 + 1)).toHaveLength(3);
    expect(all(text, undefined, 0)).toEqual([]);
  });
});

describe('hex runs', () => {
  it('decodes an even run of 40 hex digits or more that is text, and no shorter or odd run', () => {
    const t20 = 'api_key=Zk29Lq0xPw7N'; // 20 bytes → 40 digits
    expect(hex(t20)).toHaveLength(40);
    expect(all(`k=${hex(t20)};`)).toEqual([['hex', t20, hex(t20)]]);
    const t19 = 'api_key=Zk29Lq0xPw7';
    expect(all(`k=${hex(t19)};`)).toEqual([]);
    expect(all(`k=${hex(t20 + 'x')}a;`)).toEqual([]); // 43 digits
    expect(all(`k=${hex(t20).toUpperCase()};`)).toEqual([['hex', t20, hex(t20).toUpperCase()]]);
  });

  it('needs text in the first eight bytes (digests fail fast), tabs and line breaks included, and a word', () => {
    const tab = '\tapi_key=Zk29Lq0xPw7Nc5'; // starts with 0x09
    expect(all(hex(tab))).toEqual([['hex', tab, hex(tab)]]);
    const lines = '\r\n\r\nkey=Zk29Lq0xPw7Nc5';
    expect(all(hex(lines))).toEqual([['hex', lines, hex(lines)]]);
    const digest = '1f8b0800' + hex('api_key=Zk29Lq0xPw7Nc5'); // a binary header, then text
    expect(all(digest)).toEqual([]);
    expect(all(hex('12345678-1234-5678-9012'))).toEqual([]);
    const multibyte = 'abcdefgh\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9'; // 20 bytes but 14 characters
    expect(all(hex(multibyte))).toEqual([]);
  });
});

describe('percent-encoded tokens', () => {
  it('widens to the token around the escapes, stopping at whitespace, quotes, angle brackets and backticks', () => {
    const enc = '%7B%22token%22%3A%22Zk29Lq0xPw7Nc5%22%7D';
    const dec = '{"token":"Zk29Lq0xPw7Nc5"}';
    expect(all(`"q=${enc}" <q=${enc}> \`q=${enc}\` 'q=${enc}'\tq=${enc}`)).toEqual([
      ['percent', `q=${dec}`, `q=${enc}`],
      ['percent', `q=${dec}`, `q=${enc}`],
      ['percent', `q=${dec}`, `q=${enc}`],
      ['percent', `q=${dec}`, `q=${enc}`],
      ['percent', `q=${dec}`, `q=${enc}`],
    ]);
  });

  it('reads + as a space, and skips tokens with fewer than three escapes, short ones and malformed ones', () => {
    expect(all('body=user%3Dadmin+pass%3DZk29Lq0xPw%26x%3D1')).toEqual([['percent', 'body=user=admin pass=Zk29Lq0xPw&x=1', 'body=user%3Dadmin+pass%3DZk29Lq0xPw%26x%3D1']]);
    expect(all('body=user%3Dadmin+pass%3DZk29Lq0xPw7Nc5Rt1')).toEqual([]); // two escapes
    expect(all('a=%41%42%43%44')).toEqual([]); // under MIN_BASE64 characters
    expect('t=%41%42%43Zk29Lq0xPw7Nc5Rt1').toHaveLength(MIN_BASE64);
    expect(all('t=%41%42%43Zk29Lq0xPw7Nc5Rt1')).toEqual([['percent', 't=ABCZk29Lq0xPw7Nc5Rt1', 't=%41%42%43Zk29Lq0xPw7Nc5Rt1']]);
    expect(all('t=%41%42%43Zk29Lq0xPw7Nc5Rt')).toEqual([]); // one character shorter
    expect(all('bad=%E0%A4%41%42%43Zk29Lq0xPw7Nc5 ok=%41%42%43Zk29Lq0xPw7Nc5Rt1Ym9')).toEqual([['percent', 'ok=ABCZk29Lq0xPw7Nc5Rt1Ym9', 'ok=%41%42%43Zk29Lq0xPw7Nc5Rt1Ym9']]);
    expect(all('ctl=%01%02%03Zk29Lq0xPw7Nc5Rt1Ym9')).toEqual([]); // decodes to control characters
  });
});

describe('JSON string escapes', () => {
  it('decodes \\n, \\u and \\/ escapes in double-quoted literals; the span is the literal body', () => {
    const text = [
      '{"url": "https:\\/\\/example.test\\/hook?t=Zk29Lq0xPw7Nc5"}',
      '{"k": "\\u0074oken=Zk29Lq0xPw7Nc5Rt1Ym9HbQs"}',
      '{"pem": "-----BEGIN KEY-----\\nMIIBOgIBAAJBAKj34\\n"}',
    ].join('\n');
    expect(all(text)).toEqual([
      ['json-escape', 'https://example.test/hook?t=Zk29Lq0xPw7Nc5', 'https:\\/\\/example.test\\/hook?t=Zk29Lq0xPw7Nc5'],
      ['json-escape', 'token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs', '\\u0074oken=Zk29Lq0xPw7Nc5Rt1Ym9HbQs'],
      ['json-escape', '-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34\n', '-----BEGIN KEY-----\\nMIIBOgIBAAJBAKj34\\n'],
    ]);
  });

  it('leaves single-quoted, backtick, unterminated, short, escape-free and invalid literals alone', () => {
    const text = [
      "x = 'token=Zk29Lq0xPw7Nc5Rt1Ym9HbQs\\n' + `key=Zk29Lq0xPw7Nc5Rt1Ym9HbQs\\n`",
      'y = "short\\n"',
      'z = "no escape here token=Zk29Lq0xPw7Nc5" "\\n"',
      'w = "bad \\x escape then \\n Zk29Lq0xPw7Nc5Rt1Ym9"',
      'v = "never closed \\n token=Zk29Lq0xPw7Nc5Rt1Ym9',
    ].join('\n');
    expect(all(text)).toEqual([]);
  });

  it('decodes a literal on a line that follows one ending in a quote, or an unterminated literal', () => {
    const text = 'a = "x"\nb = "payload\\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9"\nc = "open \\n\nd = "second\\nkey=Hq3Jw5Ke7Lr9Zt2Xy4Cu6"';
    expect(all(text)).toEqual([
      ['json-escape', 'payload\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9', 'payload\\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9'],
      ['json-escape', 'second\nkey=Hq3Jw5Ke7Lr9Zt2Xy4Cu6', 'second\\nkey=Hq3Jw5Ke7Lr9Zt2Xy4Cu6'],
    ]);
  });

  it('decodes an escaped body of MIN_BASE64 characters and no shorter, and none over MAX_BLOB', () => {
    const at = 'x\\ntoken=Zk29Lq0xPw7Nc5Rt1Ym'; // 28 characters as written
    expect(at).toHaveLength(MIN_BASE64);
    expect(all(`"${at}" "${at.slice(1)}"`)).toEqual([['json-escape', 'x\ntoken=Zk29Lq0xPw7Nc5Rt1Ym', at]]);
    const big = '\\n' + 'a'.repeat(MAX_BLOB - 2);
    expect(findEncodedBlobs(`"${big}"`, { remaining: 1 << 22 }).map((b) => [b.encoding, b.decoded.length])).toEqual([['json-escape', MAX_BLOB - 1]]);
    expect(findEncodedBlobs(`"${big}a"`, { remaining: 1 << 22 })).toEqual([]);
  });

  it('needs a \\n, \\u or \\/ escape: quotes and backslashes escaped alone hide nothing', () => {
    const text = 'say("he said \\"token=Zk29Lq0xPw7Nc5Rt1Ym9\\" and C:\\\\dir", "x\\n")';
    expect(all(text)).toEqual([]);
  });

  it('does not let a literal run past a carriage return or a line break', () => {
    const text = 'a = "start of \\n one\r" token=Zk29Lq0xPw7Nc5Rt1Ym9 "\nb = "\\nsecond=Hq3Jw5Ke7Lr9Zt2Xy4Cu6"';
    expect(all(text)).toEqual([['json-escape', '\nsecond=Hq3Jw5Ke7Lr9Zt2Xy4Cu6', '\\nsecond=Hq3Jw5Ke7Lr9Zt2Xy4Cu6']]);
  });

  it('skips a quote inside a single-quoted literal before the escaped double-quoted one', () => {
    const text = `s = 'it"s' + \`a "b\` + "payload\\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9"`;
    expect(all(text)).toEqual([['json-escape', 'payload\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9', 'payload\\ntoken=Zk29Lq0xPw7Nc5Rt1Ym9']]);
  });
});

describe('decoder stages', () => {
  it('names each decoder it enters, and only those the text can need, for the scan-timeout diagnostic', () => {
    const stages: string[] = [];
    const deadline = new Deadline(Number.POSITIVE_INFINITY, { stage: (name) => stages.push(name) });
    findEncodedBlobs('plain text, nothing encoded', { remaining: 1e6 }, undefined, deadline);
    expect(stages).toEqual(['decoder base64/hex', 'engine']);
    stages.length = 0;
    findEncodedBlobs('50% of "a\\nb"', { remaining: 1e6 }, undefined, deadline);
    expect(stages).toEqual(['decoder base64/hex', 'engine', 'decoder percent', 'engine', 'decoder json-escape', 'engine']);
  });
});
