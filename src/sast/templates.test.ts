import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { analyse, flowOf, js, summary } from './testing.js';
import { rawOutputs } from './templates.js';

const APP = js`
  const express = require('express');
  const app = express();
  app.get('/p', (req, res) => {
    res.render('profile', { user: { bio: req.query.bio, name: 'x' }, title: req.query.title });
  });
`;

describe('view templates', () => {
  it('finds the raw outputs of each engine, not the escaped ones', () => {
    const at = (rel: string, text: string): string[] => rawOutputs(rel, text).map((o) => `${o.line}:${o.column} ${o.path.join('.')} ${o.text}`);
    expect(at('v.ejs', '<h1><%= title %></h1>\n<div><%- user.bio %></div>')).toEqual(['2:6 user.bio <%- user.bio %>']);
    expect(at('v.pug', 'h1= title\np!= user.bio\ndiv !{title}\nspan #{title}\nif title != user.name\n  p ok')).toEqual(['3:5 title !{title}', '2:1 user.bio p!= user.bio']);
    expect(at('v.hbs', '<h1>{{title}}</h1>{{{user.bio}}}{{{markdown title}}}')).toEqual(['1:19 user.bio {{{user.bio}}}', '1:33 title {{{markdown title}}}']);
    expect(at('v.njk', '{{ title }} {{ user.bio | safe }}')).toEqual(['1:13 user.bio {{ user.bio | safe }}']);
  });

  it.each([
    ['views/profile.ejs', '<h1><%= title %></h1>\n<p><%- user.bio %></p>\n<p><%- user.name %></p>\n', 'views/profile.ejs:2:4'],
    ['views/profile.pug', 'h1= title\np!= user.bio\n', 'views/profile.pug:2:1'],
    ['views/profile.hbs', '<h1>{{title}}</h1>\n<p>{{{user.bio}}}</p>\n', 'views/profile.hbs:2:4'],
    ['views/profile.njk', '<h1>{{ title }}</h1>\n<p>{{ user.bio | safe }}</p>\n', 'views/profile.njk:2:4'],
  ])('a tainted local printed raw by %s is XSS at the template line', async (view, text, where) => {
    const f = await analyse({ 'app.js': APP, [view]: text });
    expect(summary(f)).toEqual([`${where} xss high: req.query.bio (user input, app.js:4) reaches HTML output (res.render('profile')): printed unescaped by ${text.split('\n')[1]!.replace(/^<p>|<\/p>$/g, '').trim()} in ${view}`]);
    expect(flowOf(f[0]!)).toEqual(['app.js:4:40 source: req.query.bio', `app.js:4:3 res.render('profile')`, `${where} sink: ${text.split('\n')[1]!.replace(/^<p>|<\/p>$/g, '').trim()}`]);
  });

  it('escaped output, a clean local or another view is not reported', async () => {
    expect(await analyse({ 'app.js': APP, 'views/profile.ejs': '<p><%= user.bio %></p><p><%- user.name %></p>', 'views/other.ejs': '<%- title %>' })).toEqual([]);
  });

  it('through a helper function (summaries), and configured member sources', async () => {
    const helper = js`
      const express = require('express');
      const app = express();
      function show(res, note) {
        res.render('note', { note });
      }
      app.post('/n', (req, res) => show(res, req.body.text));
    `;
    expect(summary(await analyse({ 'app.js': helper, 'views/note.ejs': '<%- note %>' })).map((s) => s.split(' reaches')[0])).toEqual(['views/note.ejs:1:1 xss high: req.body.text (user input, app.js:6)']);
    const lambda = js`
      const { exec } = require('child_process');
      exports.handler = async (event) => {
        exec('convert ' + event.queryStringParameters.file);
      };
    `;
    const config = { ...DEFAULT_CONFIG, sast: { sources: [{ member: 'event.queryStringParameters', label: 'API Gateway query' }] } };
    expect(summary(await analyse({ 'handler.js': lambda }, config)).map((s) => s.split(' reaches')[0])).toEqual(['handler.js:3:8 command-injection high: API Gateway query (a configured source, line 3)']);
  });
});
