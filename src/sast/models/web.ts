/**
 * Web frameworks: where request data comes from (sources) and what responses do with it (XSS,
 * redirects, files). Express, Node's http, Koa, Fastify, Hapi, WebSocket (ws) and socket.io.
 * NestJS and Next.js are file/decorator conventions and live in frameworks.ts.
 */
import { mask } from '../kinds.js';
import { EMPTY, join, type Taint, type Value } from '../values.js';
import { chain, option } from './helpers.js';
import type { ApiModel, CallCtx, ModelTable, SourceOptions } from './types.js';

/** A redirect target the attacker controls where it matters: the start, or right after a scheme/`//`/`/`. */
export function redirectControlled(t: Taint): boolean {
  if (t.pre === undefined) return false;
  return t.pre === '' || t.pre === '/' || t.pre === '\\' || /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*$/i.test(t.pre);
}

/** HTML responses only: a whole request object is sent as JSON by res.send. */
const notWhole = (t: Taint): boolean => !t.whole;

const src = (label: string, o: SourceOptions = {}): ApiModel => ({ source: { label, ...o } });
const container = (label: string, deepObj: boolean): ApiModel => src(label, { obj: true, whole: true, deepObj });
const callSource = (label: string, o: SourceOptions = {}): ApiModel => ({ call: (c) => c.source(`${label}`, o) });

/** Request handlers registered on an app or router: every function argument is an entry point. */
function handlers(req: string, res: string, extra: Value[] = []): ApiModel {
  return {
    call: (c) => {
      registerHandlers(c, req, res, extra);
      return c.recv && c.recv.api?.length ? c.recv : EMPTY;
    },
  };
}

export function registerHandlers(c: CallCtx, req: string, res: string, extra: Value[] = []): void {
  for (let i = 0; i < c.args.length; i++) {
    const a = c.arg(i);
    const fns = a.fns ?? [];
    const elems = a.objs?.flatMap((o) => [...(o.elem?.fns ?? [])]) ?? [];
    for (const fn of [...fns, ...elems]) {
      const arity = fn.decl.parameters.length;
      const args = arity === 4 ? [EMPTY, c.api(req), c.api(res), EMPTY] : [c.api(req), c.api(res), EMPTY, ...extra];
      c.entry({ fns: [fn] }, args);
    }
    // app.use(mongoSanitize()): request objects are stripped of `$` keys before any handler runs.
    if (a.api?.includes('mongo-sanitize.middleware')) c.setFlag('nosql-sanitized');
  }
}

function expressRequest(prefix: string, label: string): ModelTable {
  return {
    [prefix]: {
      members: {
        params: `${prefix}.params`,
        query: `${prefix}.query`,
        body: `${prefix}.body`,
        headers: `${prefix}.headers`,
        cookies: `${prefix}.cookies`,
        signedCookies: `${prefix}.cookies`,
        files: `${prefix}.files`,
        file: `${prefix}.files`,
        url: `${prefix}.url`,
        originalUrl: `${prefix}.url`,
        path: `${prefix}.url`,
        hostname: `${prefix}.hostname`,
        host: `${prefix}.hostname`,
        get: `${prefix}.get`,
        header: `${prefix}.get`,
        param: `${prefix}.get`,
        on: `${prefix}.on`,
        socket: `${prefix}.socket`,
        connection: `${prefix}.socket`,
        ip: `${prefix}.ip`,
        method: `${prefix}.ip`,
        protocol: `${prefix}.ip`,
        app: `${prefix}.ip`,
        session: `${prefix}.session`,
        user: `${prefix}.session`,
        route: `${prefix}.ip`,
        res: 'express.res',
      },
    },
    [`${prefix}.params`]: container(`${label}.params`, false),
    [`${prefix}.query`]: container(`${label}.query`, true),
    [`${prefix}.body`]: container(`${label}.body`, true),
    [`${prefix}.headers`]: container(`${label}.headers`, false),
    [`${prefix}.cookies`]: container(`${label}.cookies`, true),
    [`${prefix}.files`]: container(`${label}.files`, true),
    [`${prefix}.url`]: src(`${label}.url`, { confidence: 'medium' }),
    [`${prefix}.hostname`]: src(`${label}.hostname`, { confidence: 'medium' }),
    [`${prefix}.get`]: callSource(`${label}.get()`),
    [`${prefix}.on`]: {
      // req.on('data', chunk => …): the raw body.
      call: (c) => {
        if (c.str(0) === 'data' || c.str(0) === 'end') c.call(c.arg(1), [c.source(`${label} body chunk`)]);
      },
    },
    [`${prefix}.ip`]: {},
    [`${prefix}.socket`]: {},
    [`${prefix}.session`]: {},
  };
}

/** res.send / res.write / res.end: HTML unless a non-HTML content type was chosen on the chain. */
const htmlBody = (label: string, accept: (t: Taint) => boolean = notWhole): ApiModel => ({
  call: (c) => {
    c.sink('xss', c.arg(0), c.argNodes[0], { label, accept, note: 'sent as an HTML response' });
    return c.recv ?? EMPTY;
  },
});

function redirectCall(c: CallCtx, label: string): void {
  // redirect(url) or redirect(status, url) / redirect(url, status)
  const i = c.args.length > 1 && c.args[0]!.prim ? 1 : 0;
  c.sink('open-redirect', c.arg(i), c.argNodes[i], { label, accept: redirectControlled });
}

const headerSetter = (self: string): ApiModel => ({
  call: (c) => {
    const name = c.str(0)?.toLowerCase();
    if (name === 'location' || name === 'refresh') c.sink('open-redirect', c.arg(1), c.argNodes[1], { label: `${c.callee}('${c.str(0)}')`, accept: redirectControlled });
    if (name === 'content-type') return c.api(/html/i.test(c.str(1) ?? 'html') ? self : `${self}.nonhtml`);
    const obj = c.arg(0);
    if (obj.objs?.length) {
      const loc = join(c.prop(obj, 'Location'), c.prop(obj, 'location'));
      c.sink('open-redirect', loc, c.argNodes[0], { label: `${c.callee}(Location)`, accept: redirectControlled });
    }
    return c.api(self);
  },
});

function sendFile(c: CallCtx): Value {
  // With a `root` option, express/send refuses paths that climb out of it.
  if (!option(c, 1, 'root')) c.sink('path-traversal', c.arg(0), c.argNodes[0], { note: 'serves any file the process can read' });
  return EMPTY;
}

function expressResponse(type: string): ModelTable {
  const non = `${type}.nonhtml`;
  const members: Record<string, string> = {
    send: `${type}.send`,
    write: `${type}.send`,
    end: `${type}.send`,
    redirect: `${type}.redirect`,
    location: `${type}.location`,
    sendFile: `${type}.sendFile`,
    sendfile: `${type}.sendFile`,
    download: `${type}.sendFile`,
    set: `${type}.set`,
    header: `${type}.set`,
    setHeader: `${type}.set`,
    writeHead: `${type}.writeHead`,
    type: `${type}.type`,
    contentType: `${type}.type`,
    status: `${type}.chain`,
    cookie: `${type}.chain`,
    clearCookie: `${type}.chain`,
    vary: `${type}.chain`,
    append: `${type}.set`,
    attachment: `${type}.chain`,
    links: `${type}.chain`,
    sendStatus: `${type}.chain`,
    json: `${type}.chain`,
    jsonp: `${type}.chain`,
    render: `${type}.render`,
    locals: `${type}.locals`,
  };
  return {
    [type]: { members },
    [non]: { members: { ...members, send: `${non}.chain`, write: `${non}.chain`, end: `${non}.chain`, status: `${non}.chain`, set: `${non}.set` } },
    [`${type}.send`]: htmlBody('res.send'),
    [`${type}.redirect`]: { call: (c) => void redirectCall(c, c.callee) },
    [`${type}.location`]: { call: (c) => void redirectCall(c, c.callee) },
    [`${type}.sendFile`]: { call: sendFile },
    [`${type}.set`]: headerSetter(type),
    [`${non}.set`]: headerSetter(non),
    [`${type}.writeHead`]: {
      call: (c) => {
        for (const i of [1, 2]) {
          const h = c.arg(i);
          c.sink('open-redirect', join(c.prop(h, 'Location'), c.prop(h, 'location')), c.argNodes[i], { label: 'res.writeHead(Location)', accept: redirectControlled });
        }
        return c.api(type);
      },
    },
    [`${type}.type`]: { call: (c) => c.api(/html/i.test(c.str(0) ?? 'html') ? type : non) },
    [`${type}.chain`]: chain(type),
    [`${non}.chain`]: chain(non),
    [`${type}.render`]: {
      call: (c) => {
        // res.render(view, req.body): the locals object steers the engine (settings, layout, helpers).
        c.sink('server-side-template-injection', c.arg(1), c.argNodes[1], { label: c.callee, accept: (t) => !!t.whole && !(t.o.kind === 'source' && t.o.category === 'stored'), note: 'user-controlled template options (view engine settings) can run code' });
        c.sink('path-traversal', c.arg(0), c.argNodes[0], { label: c.callee, confidence: 'medium', note: 'renders a template file chosen by the attacker' });
        c.setFlag(`render:${c.str(0) ?? ''}`);
        const view = c.str(0);
        if (view !== undefined) c.render(view, c.arg(1));
        return EMPTY;
      },
    },
    [`${type}.locals`]: {},
  };
}

const ROUTE_METHODS = ['get', 'post', 'put', 'delete', 'del', 'patch', 'all', 'options', 'head', 'use', 'param'];

function appModel(type: string, req: string, res: string): ModelTable {
  const members: Record<string, string> = {};
  for (const m of ROUTE_METHODS) members[m] = `${type}.route`;
  members.route = `${type}.routeChain`;
  members.listen = `${type}.listen`;
  return {
    [type]: { members },
    [`${type}.route`]: handlers(req, res),
    [`${type}.routeChain`]: { call: (c) => c.api(`${type}.routeObj`) },
    [`${type}.routeObj`]: { members: Object.fromEntries(ROUTE_METHODS.map((m) => [m, `${type}.routeObjMethod`])) },
    [`${type}.routeObjMethod`]: {
      call: (c) => {
        registerHandlers(c, req, res);
        return c.api(`${type}.routeObj`);
      },
    },
    [`${type}.listen`]: {},
  };
}

// ------------------------------------------------------------------ Koa

const koaCtx: ModelTable = {
  'koa.ctx': {
    members: {
      request: 'koa.request',
      query: 'koa.query',
      querystring: 'koa.url',
      params: 'koa.params',
      headers: 'express.req.headers',
      header: 'express.req.headers',
      url: 'koa.url',
      originalUrl: 'koa.url',
      path: 'koa.url',
      href: 'koa.url',
      host: 'express.req.hostname',
      hostname: 'express.req.hostname',
      get: 'express.req.get',
      cookies: 'koa.cookies',
      body: 'koa.body',
      redirect: 'koa.redirect',
      req: 'express.req',
      res: 'http.res',
      attachment: 'koa.chain',
      set: 'koa.set',
      type: 'koa.type',
      state: 'koa.state',
      throw: 'koa.chain',
      assert: 'koa.chain',
      status: 'koa.chain',
      render: 'koa.render',
      response: 'koa.response',
      ip: 'express.req.ip',
      method: 'express.req.ip',
    },
  },
  'koa.request': { members: { body: 'koa.reqBody', query: 'koa.query', files: 'express.req.files', headers: 'express.req.headers', header: 'express.req.headers', url: 'koa.url', href: 'koa.url', path: 'koa.url', querystring: 'koa.url', get: 'express.req.get', rawBody: 'koa.url' } },
  'koa.response': { members: { body: 'koa.body', redirect: 'koa.redirect', set: 'koa.set', type: 'koa.type' } },
  'koa.query': container('ctx.query', true),
  'koa.params': container('ctx.params', false),
  'koa.reqBody': container('ctx.request.body', true),
  'koa.url': src('ctx.url', { confidence: 'medium' }),
  'koa.cookies': { members: { get: 'koa.cookieGet' } },
  'koa.cookieGet': callSource('ctx.cookies.get()'),
  'koa.state': {},
  'koa.chain': {},
  'koa.type': {},
  'koa.set': headerSetter('koa.ctx'),
  'koa.redirect': { call: (c) => void redirectCall(c, 'ctx.redirect') },
  'koa.render': {},
  'koa.body': {
    // Koa answers text/html when a string body starts with "<"; text/plain otherwise.
    assign: (c) => c.sink('xss', c.value, c.node, { label: 'ctx.body', note: 'a string body starting with "<" is served as HTML', accept: (t) => !t.whole && t.pre !== undefined && (t.pre === '' || /^\s*</.test(t.pre)) }),
  },
};

// ------------------------------------------------------------------ Fastify

const fastify: ModelTable = {
  fastify: { call: (c) => c.api('fastify.app') },
  'fastify.app': {
    members: {
      ...Object.fromEntries(['get', 'post', 'put', 'delete', 'patch', 'all', 'options', 'head'].map((m) => [m, 'fastify.route'])),
      route: 'fastify.routeObj',
      register: 'fastify.register',
      addHook: 'fastify.hook',
      listen: 'fastify.noop',
      decorate: 'fastify.noop',
    },
  },
  'fastify.route': {
    call: (c) => {
      registerHandlers(c, 'fastify.request', 'fastify.reply');
      // fastify.get(path, { handler }) form
      for (const a of c.args) if (a.objs?.length) registerHandlers(withArgs(c, [c.prop(a, 'handler'), c.prop(a, 'preHandler')]), 'fastify.request', 'fastify.reply');
      return c.recv ?? EMPTY;
    },
  },
  'fastify.routeObj': { call: (c) => void registerHandlers(withArgs(c, [c.prop(c.arg(0), 'handler'), c.prop(c.arg(0), 'preHandler')]), 'fastify.request', 'fastify.reply') },
  'fastify.hook': { call: (c) => void registerHandlers(withArgs(c, [c.arg(1)]), 'fastify.request', 'fastify.reply') },
  'fastify.register': { call: (c) => void c.entry(c.arg(0), [c.api('fastify.app'), EMPTY, EMPTY]) },
  'fastify.noop': {},
  'fastify.request': {
    members: { params: 'express.req.params', query: 'express.req.query', body: 'express.req.body', headers: 'express.req.headers', cookies: 'express.req.cookies', url: 'express.req.url', hostname: 'express.req.hostname', raw: 'express.req', file: 'fastify.file', files: 'fastify.file' },
  },
  'fastify.file': { call: (c) => c.source('request.file()', { obj: true }) },
  'fastify.reply': {
    members: { send: 'fastify.send', redirect: 'fastify.redirect', type: 'fastify.type', header: 'fastify.header', headers: 'fastify.header', code: 'fastify.chain', status: 'fastify.chain', sendFile: 'fastify.sendFile', view: 'fastify.chain' },
  },
  'fastify.reply.html': { members: { send: 'fastify.sendHtml', code: 'fastify.chainHtml', status: 'fastify.chainHtml', header: 'fastify.header' } },
  // Fastify serialises strings as text/plain unless the type was set to HTML.
  'fastify.send': { call: () => undefined },
  'fastify.sendHtml': htmlBody('reply.send'),
  'fastify.type': { call: (c) => c.api(/html/i.test(c.str(0) ?? '') ? 'fastify.reply.html' : 'fastify.reply') },
  'fastify.header': { call: (c) => (c.str(0)?.toLowerCase() === 'content-type' && /html/i.test(c.str(1) ?? '') ? c.api('fastify.reply.html') : (headerSetter('fastify.reply').call!(c) as Value)) },
  'fastify.chain': chain('fastify.reply'),
  'fastify.chainHtml': chain('fastify.reply.html'),
  'fastify.redirect': { call: (c) => void redirectCall(c, 'reply.redirect') },
  'fastify.sendFile': { call: (c) => void c.sink('path-traversal', c.arg(0), c.argNodes[0], { confidence: 'medium' }) },
};

function withArgs(c: CallCtx, args: Value[]): CallCtx {
  return { ...c, args, argNodes: args.map(() => undefined), arg: (i: number) => args[i] ?? EMPTY };
}

// ------------------------------------------------------------------ Hapi

const hapi: ModelTable = {
  '@hapi/hapi': { members: { server: 'hapi.newServer', Server: 'hapi.newServer' } },
  'hapi.newServer': { call: (c) => c.api('hapi.server'), construct: (c) => c.api('hapi.server') },
  'hapi.server': { members: { route: 'hapi.route', ext: 'hapi.ext', register: 'hapi.noop', start: 'hapi.noop' } },
  'hapi.route': {
    call: (c) => {
      const routes = c.arg(0);
      const list = routes.objs?.some((o) => o.elem) ? routes.objs.flatMap((o) => (o.elem ? [o.elem] : [])) : [routes];
      for (const r of list) {
        const handler = c.prop(r, 'handler');
        const options = c.prop(r, 'options');
        const config = c.prop(r, 'config');
        for (const h of [handler, c.prop(options, 'handler'), c.prop(config, 'handler')]) if (h.fns?.length) c.entry(h, [c.api('hapi.request'), c.api('hapi.h')]);
      }
    },
  },
  'hapi.ext': { call: (c) => void c.entry(c.arg(1), [c.api('hapi.request'), c.api('hapi.h')]) },
  'hapi.noop': {},
  'hapi.request': {
    members: { params: 'express.req.params', query: 'express.req.query', payload: 'hapi.payload', headers: 'express.req.headers', state: 'express.req.cookies', url: 'express.req.url', path: 'express.req.url', info: 'hapi.info', raw: 'hapi.raw' },
  },
  'hapi.raw': { members: { req: 'express.req', res: 'http.res' } },
  'hapi.info': { members: { host: 'express.req.hostname', referrer: 'express.req.url' } },
  'hapi.payload': container('request.payload', true),
  'hapi.h': { members: { response: 'hapi.response', redirect: 'hapi.redirect', file: 'hapi.file', view: 'hapi.noop' } },
  // Hapi serves strings as text/html.
  'hapi.response': {
    call: (c) => {
      c.sink('xss', c.arg(0), c.argNodes[0], { label: 'h.response', accept: notWhole, note: 'strings are served as text/html' });
      return c.api('hapi.responseObj');
    },
  },
  'hapi.responseObj': { members: { type: 'hapi.noop', code: 'hapi.chain', header: 'hapi.chain', redirect: 'hapi.redirect' } },
  'hapi.chain': chain('hapi.responseObj'),
  'hapi.redirect': { call: (c) => void redirectCall(c, 'h.redirect') },
  'hapi.file': { call: (c) => void c.sink('path-traversal', c.arg(0), c.argNodes[0], { confidence: 'medium' }) },
};

// ------------------------------------------------------------------ WebSocket and socket.io

const sockets: ModelTable = {
  ws: { members: { Server: 'ws.ServerClass', WebSocketServer: 'ws.ServerClass' } },
  'ws.ServerClass': { construct: (c) => c.api('ws.server') },
  'ws.server': { members: { on: 'ws.serverOn' } },
  'ws.serverOn': {
    call: (c) => {
      if (c.str(0) === 'connection') c.entry(c.arg(1), [c.api('ws.socket'), c.api('express.req')]);
    },
  },
  'ws.socket': { members: { on: 'ws.socketOn', send: 'ws.noop', addEventListener: 'ws.socketOn' } },
  'ws.socketOn': {
    call: (c) => {
      if (c.str(0) === 'message') c.call(c.arg(1), [c.source('WebSocket message', { obj: false })]);
    },
  },
  'ws.noop': {},
  'socket.io': { call: (c) => c.api('io.server'), members: { Server: 'io.ServerClass' } },
  'io.ServerClass': { construct: (c) => c.api('io.server') },
  'io.server': { members: { on: 'io.serverOn', of: 'io.of', sockets: 'io.server' } },
  'io.of': chain('io.server'),
  'io.serverOn': {
    call: (c) => {
      if (c.str(0) === 'connection' || c.str(0) === 'connect') c.entry(c.arg(1), [c.api('io.socket')]);
    },
  },
  'io.socket': { members: { on: 'io.socketOn', handshake: 'io.handshake', emit: 'ws.noop', join: 'ws.noop', broadcast: 'ws.noop' } },
  'io.handshake': container('socket.handshake', true),
  'io.socketOn': {
    call: (c) => {
      if (c.str(0) === 'disconnect') return;
      const data = c.source(`socket.io "${c.str(0) ?? 'event'}" data`, { obj: true, deepObj: true });
      c.call(c.arg(1), [data, data, data]);
    },
  },
};

// ------------------------------------------------------------------ Node http

const http: ModelTable = {
  'http.createServer': {
    call: (c) => {
      for (const a of c.args) if (a.fns?.length) c.entry(a, [c.api('http.req'), c.api('http.res')]);
      return c.api('http.server');
    },
  },
  'http.server': { members: { on: 'http.serverOn', listen: 'ws.noop' } },
  'http.serverOn': {
    call: (c) => {
      if (c.str(0) === 'request') c.entry(c.arg(1), [c.api('http.req'), c.api('http.res')]);
      if (c.str(0) === 'upgrade') c.entry(c.arg(1), [c.api('http.req'), EMPTY, EMPTY]);
    },
  },
  'http.req': { members: { url: 'express.req.url', headers: 'express.req.headers', on: 'express.req.on', method: 'express.req.ip', socket: 'express.req.socket' } },
  ...expressResponse('http.res'),
};

export const WEB_MODELS: ModelTable = {
  express: { call: (c) => c.api('express.app'), members: { Router: 'express.Router', static: 'express.static', json: 'express.mw', urlencoded: 'express.mw', text: 'express.mw', raw: 'express.mw' } },
  'express.Router': { call: (c) => c.api('express.router') },
  'express.static': { call: (c) => void c.sink('path-traversal', c.arg(0), c.argNodes[0], { confidence: 'medium' }) },
  'express.mw': {},
  ...appModel('express.app', 'express.req', 'express.res'),
  ...appModel('express.router', 'express.req', 'express.res'),
  ...expressRequest('express.req', 'req'),
  ...expressResponse('express.res'),
  // Koa
  koa: { construct: (c) => c.api('koa.app'), call: (c) => c.api('koa.app') },
  'koa.app': { members: { use: 'koa.use', listen: 'ws.noop', on: 'ws.noop', callback: 'ws.noop' } },
  'koa.use': { call: (c) => void c.entry(c.arg(0), [c.api('koa.ctx'), EMPTY]) },
  '@koa/router': { construct: (c) => c.api('koa.router'), call: (c) => c.api('koa.router') },
  'koa.router': { members: { ...Object.fromEntries(['get', 'post', 'put', 'delete', 'del', 'patch', 'all', 'use', 'param', 'options', 'head'].map((m) => [m, 'koa.routerRoute'])), routes: 'ws.noop', allowedMethods: 'ws.noop', prefix: 'koa.routerChain' } },
  'koa.routerChain': chain('koa.router'),
  'koa.routerRoute': {
    call: (c) => {
      for (const a of c.args) if (a.fns?.length) c.entry(a, [c.api('koa.ctx'), EMPTY]);
      return c.api('koa.router');
    },
  },
  ...koaCtx,
  ...fastify,
  ...hapi,
  ...sockets,
  ...http,
  'mongo-sanitize.factory': { call: (c) => c.api('mongo-sanitize.middleware') },
  'mongo-sanitize.middleware': {},
};

/** Sanitising one value with mongo-sanitize removes `$` keys: NoSQL operator injection is gone. */
export const NOSQL_CLEAN = mask(['nosql-injection']);

export { notWhole };
