import { describe, expect, it } from 'vitest';
import { analyse, flowOf, js, summary } from '../../testing.js';

describe('log-injection', () => {
  it('a destructured request field logged from a callback is named by its path; whole containers and stringified values are not reported', async () => {
    const findings = await analyse({
      'users.js': js`
        module.exports.check = (name, done) => setImmediate(() => done(name === 'admin' ? null : new Error('no such user')));
      `,
      'app.js': js`
        const express = require('express');
        const winston = require('winston');
        const users = require('./users');
        const app = express();
        const logger = winston.createLogger();
        app.post('/login', (req, res) => {
          const { userName } = req.body;
          users.check(userName, (err) => {
            if (err) console.log('login failed for', userName);
            console.log('request', req.body);
            logger.warn('login attempt: %s', JSON.stringify(userName));
            res.end();
          });
        });
        app.get('/audit', (req, res) => {
          logger.info(\`export by \${req.query.who}\`);
          res.end();
        });
      `,
    });
    expect(summary(findings)).toEqual([
      'app.js:9:46 log-injection medium: req.body.userName (user input, line 7) reaches a log entry (console.log): CR/LF in the value forge log entries',
      'app.js:16:15 log-injection medium: req.query.who (user input, line 16) reaches a log entry (logger.info): CR/LF in the value forge log entries',
    ]);
    expect(flowOf(findings[0]!)).toEqual(['app.js:7:11 source: req.body.userName', 'app.js:9:46 sink: console.log']);
  });
});
