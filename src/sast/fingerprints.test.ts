import { describe, expect, it } from 'vitest';
import { analyse, js } from './testing.js';

const TWO_HANDLERS = js`
  const express = require('express');
  const { exec } = require('child_process');
  const app = express();
  app.get('/ping', (req, res) => {
    exec('ping ' + req.query.host);
  });
  app.get('/trace', (req, res) => {
    exec('ping ' + req.query.host);
  });
  app.post('/ping', function (req, res) {
    exec('ping ' + req.query.host);
  });
  class Tools {
    run(req) { exec('ping ' + req.query.host); }
  }
  class Other {
    run(req) { exec('ping ' + req.query.host); }
  }
  app.get('/t', (req, res) => new Tools().run(req));
  app.get('/o', (req, res) => new Other().run(req));
  app.get('/twice', (req, res) => {
    exec('ping ' + req.query.host);
    exec('ping ' + req.query.host);
  });
`;

describe('sast fingerprints', () => {
  it('differ between anonymous handlers, same-named methods and repeated sinks of one file', async () => {
    const f = await analyse({ 'app.js': TWO_HANDLERS });
    expect(f.map((x) => x.location.startLine)).toEqual([5, 8, 11, 14, 17, 22, 23]);
    expect(new Set(f.map((x) => x.fingerprint)).size).toBe(7);
  });

  it('stay the same when the lines move and when another handler is added after them', async () => {
    const before = (await analyse({ 'app.js': TWO_HANDLERS })).map((x) => x.fingerprint);
    const moved = `// a comment\n\n${TWO_HANDLERS}app.get('/late', (req, res) => {\n  exec('ping ' + req.query.host);\n});\n`;
    const after = (await analyse({ 'app.js': moved })).map((x) => x.fingerprint);
    expect(after.slice(0, 7)).toEqual(before);
    expect(after).toHaveLength(8);
    expect(new Set(after).size).toBe(8);
  });
});

describe('API members named like Object.prototype members', () => {
  it('`toString` and `constructor` of a modelled API value are not a crash (fuzz seed 1768674206)', async () => {
    const app = js`
      const express = require('express');
      const app = express();
      app.get('/', async (req, res) => {
        const r = fetch(req.query.q);
        r.toString((x) => x);
        r.constructor.name = 'x';
        res.send(String(r.hasOwnProperty('a')));
      });
    `;
    expect((await analyse({ 'app.js': app })).map((f) => `${f.ruleId}:${f.location.startLine}`)).toEqual(['ssrf:4']);
  });
});
