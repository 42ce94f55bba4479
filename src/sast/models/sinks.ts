/**
 * Sinks outside databases and responses: processes, code evaluation, templates compiled from
 * strings, the file system, outgoing HTTP requests, XML parsers, deserialisers, regexes, logs,
 * deep merges; and the sanitisers that neutralise them.
 */
import { ALL_KINDS, mask } from '../kinds.js';
import { EMPTY, join, loggedAsText, type Taint, type Value } from '../values.js';
import { callbacks, option, optionTrue, propagatorFn, sanitizerFn, sinkFn } from './helpers.js';
import type { ApiModel, CallCtx, ModelTable } from './types.js';

/** The attacker decides where the request goes: the URL starts with their text, or they pick the host. */
export function hostControlled(t: Taint): boolean {
  if (t.pre === undefined) return false;
  return t.pre === '' || /^(?:[a-z][a-z0-9+.-]*:)?\/\/[^/?#]*$/i.test(t.pre) || /^[a-z][a-z0-9+.-]*:$/i.test(t.pre);
}

// ------------------------------------------------------------------ processes

const shellNote = 'runs through a shell: metacharacters in the value start other commands';

function execModel(): ApiModel {
  return { call: (c) => (c.sink('command-injection', c.arg(0), c.argNodes[0], { note: shellNote }), callbacks(c, [EMPTY, EMPTY, EMPTY]), EMPTY) };
}

/** spawn/execFile: no shell unless `shell: true`, or the program itself is a shell given `-c`. */
function spawnModel(): ApiModel {
  return {
    call: (c) => {
      const optsIndex = c.args[1]?.objs?.some((o) => o.elem || o.props.has('0')) ? 2 : 1;
      const shell = optionTrue(c, optsIndex, 'shell');
      const program = c.str(0) ?? '';
      const viaShell = shell || /^(?:\/(?:usr\/)?bin\/)?(?:ba|z|k|da|c|tc)?sh$|^cmd(?:\.exe)?$|^powershell|^pwsh/i.test(program);
      c.sink('command-injection', c.arg(0), c.argNodes[0], { note: 'the attacker picks the program to run' });
      if (viaShell) {
        const args = c.arg(1);
        let all: Value = EMPTY;
        for (const o of args.objs ?? []) {
          all = join(all, o.elem);
          for (const v of o.props.values()) all = join(all, v);
        }
        c.sink('command-injection', join(all, args.t?.length ? { t: args.t } : EMPTY), c.argNodes[1], { note: shellNote });
      }
      callbacks(c, [EMPTY, EMPTY, EMPTY]);
      return c.api('child_process.child');
    },
  };
}

const PROCESS: ModelTable = {
  child_process: { members: { exec: 'cp.exec', execSync: 'cp.exec', spawn: 'cp.spawn', spawnSync: 'cp.spawn', execFile: 'cp.spawn', execFileSync: 'cp.spawn', fork: 'cp.fork' } },
  'cp.exec': execModel(),
  'cp.spawn': spawnModel(),
  'cp.fork': sinkFn('code-injection', [0], { note: 'runs a module chosen by the attacker' }),
  shelljs: { members: { exec: 'cp.exec' } },
  execa: { call: (c) => spawnModel().call!(c), members: { command: 'cp.exec', commandSync: 'cp.exec', execa: 'execa', execaSync: 'execa', execaCommand: 'cp.exec', execaCommandSync: 'cp.exec', sync: 'execa', shell: 'cp.exec' } },
  'cross-spawn': { call: (c) => spawnModel().call!(c), members: { sync: 'cp.spawn' } },
  'shell-quote': { members: { quote: 'sanitize.shell' } },
  'shell-escape': sanitizerFn(mask(['command-injection'])),
  'sanitize.shell': { call: (c) => c.clean(c.propagate(c.arg(0)), mask(['command-injection'])) },
};

// ------------------------------------------------------------------ code

const CODE: ModelTable = {
  vm: { members: { runInNewContext: 'vm.run', runInThisContext: 'vm.run', runInContext: 'vm.run', compileFunction: 'vm.run', Script: 'vm.ScriptClass', SourceTextModule: 'vm.ScriptClass' } },
  'vm.run': sinkFn('code-injection', [0], { note: 'vm is not a security boundary' }),
  'vm.ScriptClass': { construct: (c) => (c.sink('code-injection', c.arg(0), c.argNodes[0], { note: 'vm is not a security boundary' }), EMPTY) },
  vm2: { members: { VM: 'vm2.Class', NodeVM: 'vm2.Class' } },
  'vm2.Class': { construct: (c) => c.api('vm2.vm') },
  'vm2.vm': { members: { run: 'vm.run' } },
  'safe-eval': sinkFn('code-injection', [0], { note: 'safe-eval can be escaped' }),
  'node-serialize': { members: { unserialize: 'deser.sink' } },
  'serialize-to-js': { members: { deserialize: 'deser.sink' } },
  funcster: { members: { deepDeserialize: 'deser.sink' } },
  'deser.sink': sinkFn('insecure-deserialization', [0], { note: 'function values in the input run when deserialised' }),
  'js-yaml': { members: { load: 'yaml.load', loadAll: 'yaml.load', safeLoad: 'yaml.safe', DEFAULT_FULL_SCHEMA: 'yaml.fullSchema' } },
  'yaml.load': {
    call: (c) => {
      // js-yaml 3.x `load` builds JavaScript functions and regexps (!!js/function); 4.x is safe
      // unless a schema with those types is passed explicitly.
      const version = c.dependencyVersion('js-yaml');
      const major = version ? /(\d+)/.exec(version)?.[1] : undefined;
      const schema = c.argNodes[1]?.getText() ?? '';
      const full = /FULL_SCHEMA|js-types|jsTypes/.test(schema);
      if (full || (major !== undefined && Number(major) < 4)) c.sink('insecure-deserialization', c.arg(0), c.argNodes[0], { note: full ? 'the full schema builds functions from YAML tags' : 'js-yaml 3 load() builds functions from !!js/function tags; use safeLoad or js-yaml 4' });
      return c.propagate(c.arg(0));
    },
  },
  'yaml.safe': propagatorFn(),
  'yaml.fullSchema': {},
};

// ------------------------------------------------------------------ templates (server-side template injection)

const ssti = (note = 'a template compiled from user input can run code on the server'): ApiModel => ({
  call: (c) => {
    c.sink('server-side-template-injection', c.arg(0), c.argNodes[0], { note });
    return c.api('template.fn');
  },
});

const TEMPLATES: ModelTable = {
  pug: { members: { compile: 'tpl.compile', render: 'tpl.compile', compileClient: 'tpl.compile', renderFile: 'tpl.file', compileFile: 'tpl.file' } },
  jade: { members: { compile: 'tpl.compile', render: 'tpl.compile' } },
  ejs: { members: { compile: 'tpl.compile', render: 'tpl.compile', renderFile: 'tpl.file' } },
  handlebars: { members: { compile: 'tpl.compile', precompile: 'tpl.compile', create: 'handlebars.self', SafeString: 'tpl.safeString' } },
  'handlebars.self': { call: (c) => c.api('handlebars') },
  nunjucks: { members: { renderString: 'tpl.compile', compile: 'tpl.compile', Template: 'tpl.compileClass', render: 'tpl.file', configure: 'nunjucks.env', Environment: 'nunjucks.envClass' } },
  'nunjucks.env': { call: (c) => c.api('nunjucks') },
  'nunjucks.envClass': { construct: (c) => c.api('nunjucks') },
  'tpl.compileClass': { construct: (c) => ssti().call!(c) as Value },
  'lodash.template': ssti(),
  'dot.template': ssti(),
  dot: { members: { template: 'dot.template', compile: 'dot.template' } },
  mustache: { members: { render: 'tpl.mustache' } },
  'tpl.mustache': {},
  'tpl.compile': ssti(),
  'tpl.file': sinkFn('path-traversal', [0], { confidence: 'medium', note: 'renders a template file chosen by the attacker' }),
  'template.fn': {},
  'tpl.safeString': {
    construct: (c) => (c.sink('xss', c.arg(0), c.argNodes[0], { note: 'SafeString disables escaping' }), EMPTY),
    call: (c) => (c.sink('xss', c.arg(0), c.argNodes[0], { note: 'SafeString disables escaping' }), EMPTY),
  },
};

// ------------------------------------------------------------------ file system

const FS_PATH_FIRST = ['readFile', 'readFileSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'createReadStream', 'createWriteStream', 'unlink', 'unlinkSync', 'rm', 'rmSync', 'rmdir', 'rmdirSync', 'readdir', 'readdirSync', 'stat', 'statSync', 'lstat', 'lstatSync', 'open', 'openSync', 'access', 'accessSync', 'exists', 'existsSync', 'mkdir', 'mkdirSync', 'truncate', 'truncateSync', 'chmod', 'chmodSync', 'chown', 'chownSync', 'utimes', 'readlink', 'readlinkSync', 'realpath', 'realpathSync', 'opendir', 'watch', 'watchFile', 'createFile', 'outputFile', 'outputFileSync', 'readJson', 'readJsonSync', 'writeJson', 'writeJsonSync', 'outputJson', 'remove', 'removeSync', 'emptyDir', 'ensureFile', 'ensureDir', 'pathExists', 'pathExistsSync', 'mkdirp'];
const FS_TWO_PATHS = ['rename', 'renameSync', 'copyFile', 'copyFileSync', 'link', 'linkSync', 'symlink', 'symlinkSync', 'cp', 'cpSync', 'copy', 'copySync', 'move', 'moveSync'];

function fsModel(name: string): ModelTable {
  const members: Record<string, string> = { promises: `${name}.promises` };
  for (const m of FS_PATH_FIRST) members[m] = 'fs.path1';
  for (const m of FS_TWO_PATHS) members[m] = 'fs.path2';
  return { [name]: { members }, [`${name}.promises`]: { members } };
}

function fsRead(c: CallCtx): Value {
  // Reading back a file the app wrote from request data is a (second-order) source; not modelled
  // per path, only as plain data here.
  callbacks(c, [EMPTY, EMPTY]);
  return EMPTY;
}

const FS: ModelTable = {
  ...fsModel('fs'),
  ...fsModel('fs/promises'),
  ...fsModel('fs-extra'),
  'fs.path1': {
    call: (c) => {
      c.sink('path-traversal', c.arg(0), c.argNodes[0], { note: "'../' sequences or an absolute path reach files outside the intended folder" });
      return fsRead(c);
    },
  },
  'fs.path2': {
    call: (c) => {
      c.sink('path-traversal', c.arg(0), c.argNodes[0]);
      c.sink('path-traversal', c.arg(1), c.argNodes[1]);
      return fsRead(c);
    },
  },
  path: {
    members: { join: 'path.join', resolve: 'path.resolve', normalize: 'path.resolve', basename: 'path.basename', extname: 'path.extname', dirname: 'path.join', relative: 'path.join', posix: 'path', win32: 'path', parse: 'path.parse', format: 'path.join', isAbsolute: 'path.extname', sep: 'path.sep' },
  },
  'path.join': propagatorFn('all'),
  // path.resolve(root, x): a later startsWith(root) check on the result is a containment guard.
  'path.resolve': { call: (c) => markResolved(c.propagate(...c.args)) },
  'path.basename': sanitizerFn(mask(['path-traversal'])),
  'path.extname': { call: () => ({ prim: true }) },
  'path.parse': { call: (c) => c.propagate(c.arg(0)) },
  'path.sep': {},
  'sanitize-filename': sanitizerFn(mask(['path-traversal', 'command-injection'])),
  send: { call: (c) => (option(c, 2, 'root') ? undefined : c.sink('path-traversal', c.arg(1), c.argNodes[1]), c.api('send.stream')) },
  'send.stream': {},
  'koa-send': { call: (c) => (option(c, 2, 'root') ? undefined : c.sink('path-traversal', c.arg(1), c.argNodes[1]), EMPTY) },
};

export const PATH_RESOLVED = 1 << 30;

function markResolved(v: Value): Value {
  return v.t?.length ? { t: v.t.map((t) => ({ ...t, clean: t.clean | PATH_RESOLVED })) } : EMPTY;
}

// ------------------------------------------------------------------ outgoing requests (SSRF)

const ssrfNote = 'the server sends a request to a host the attacker chooses (internal services, cloud metadata)';

/** A URL or an options object ({ url } / { host, hostname } / { baseURL }). */
function requestTarget(c: CallCtx, i: number): void {
  const v = c.arg(i);
  c.sink('ssrf', v, c.argNodes[i], { note: ssrfNote, accept: hostControlled });
  if (v.objs?.length) {
    for (const key of ['url', 'uri', 'baseURL', 'baseUrl', 'prefixUrl', 'href']) c.sink('ssrf', c.prop(v, key), c.argNodes[i], { note: ssrfNote, accept: hostControlled });
    for (const key of ['host', 'hostname']) c.sink('ssrf', c.prop(v, key), c.argNodes[i], { note: ssrfNote, accept: (t) => t.pre !== undefined && t.pre === '' });
  }
}

const requestFn = (i = 0): ApiModel => ({
  call: (c) => {
    requestTarget(c, i);
    const response = c.storeRead('http', 'HTTP response');
    callbacks(c, [EMPTY, response, response]);
    return c.api('http.response');
  },
});

function clientMethods(type: string): Record<string, string> {
  return Object.fromEntries(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request', 'stream', 'getUri'].map((m) => [m, `${type}.method`]));
}

const HTTP_CLIENTS: ModelTable = {
  'global.fetch': requestFn(),
  'node-fetch': requestFn(),
  'cross-fetch': requestFn(),
  'isomorphic-fetch': requestFn(),
  undici: { members: { fetch: 'node-fetch', request: 'node-fetch', stream: 'node-fetch' } },
  axios: { call: (c) => requestFn().call!(c), members: { ...clientMethods('axios'), create: 'axios.create' } },
  'axios.method': requestFn(),
  'axios.create': { call: (c) => (requestTarget(c, 0), c.api('axios')) },
  got: { call: (c) => requestFn().call!(c), members: { ...clientMethods('got'), extend: 'axios.create' } },
  'got.method': requestFn(),
  request: { call: (c) => requestFn().call!(c), members: clientMethods('got') },
  superagent: { call: (c) => requestFn(1).call!(c), members: clientMethods('got') },
  needle: { call: (c) => requestFn(1).call!(c), members: clientMethods('got') },
  http: { members: { request: 'http.request', get: 'http.request', createServer: 'http.createServer' } },
  https: { members: { request: 'http.request', get: 'http.request', createServer: 'http.createServer' } },
  'http.request': requestFn(),
  'http.response': { members: { data: 'http.response.body', body: 'http.response.body', json: 'http.response.bodyFn', text: 'http.response.bodyFn' } },
  'http.response.body': {},
  'http.response.bodyFn': {},
};

// ------------------------------------------------------------------ XML, regex, logs, merges

const XML: ModelTable = {
  libxmljs: { members: { parseXml: 'xml.parse', parseXmlString: 'xml.parse', parseHtml: 'xml.parse', parseHtmlString: 'xml.parse', parseXmlAsync: 'xml.parse' } },
  libxmljs2: { members: { parseXml: 'xml.parse', parseXmlString: 'xml.parse' } },
  'xml.parse': {
    call: (c) => {
      // External entities are only expanded with noent (or a DTD load) enabled.
      if (optionTrue(c, 1, 'noent') || optionTrue(c, 1, 'dtdload') || optionTrue(c, 1, 'dtdvalid')) c.sink('xxe', c.arg(0), c.argNodes[0], { note: 'external entities can read local files or reach internal hosts' });
      return c.api('xml.doc');
    },
  },
  'xml.doc': {},
  'xmldom.parser': {},
};

const LOG_METHODS = ['log', 'info', 'warn', 'warning', 'error', 'debug', 'trace', 'fatal', 'verbose', 'silly', 'http', 'notice', 'crit', 'alert', 'emerg'];
const logModel = (name: string): ApiModel => ({ members: Object.fromEntries([...LOG_METHODS.map((m) => [m, `log.method`]), ['child', `${name}.child`]]) });
const LOGS: ModelTable = {
  winston: { members: { createLogger: 'winston.create', ...Object.fromEntries(LOG_METHODS.map((m) => [m, 'log.method'])) } },
  'winston.create': { call: (c) => c.api('log.logger') },
  pino: { call: (c) => c.api('log.logger') },
  bunyan: { members: { createLogger: 'winston.create' } },
  log4js: { members: { getLogger: 'winston.create' } },
  'log.logger': logModel('log.logger'),
  'log.logger.child': { call: (c) => c.api('log.logger') },
  'log.method': {
    call: (c) => {
      c.args.forEach((v, i) => c.sink('log-injection', v, c.argNodes[i], { confidence: 'medium', accept: loggedAsText, note: 'CR/LF in the value forge log entries' }));
      return EMPTY;
    },
  },
};

const mergeSink = (index: number): ApiModel => ({
  call: (c) => {
    for (let i = index; i < c.args.length; i++) c.sink('prototype-pollution', c.arg(i), c.argNodes[i], { accept: (t) => t.obj, confidence: 'medium', note: 'a "__proto__" key in the merged object changes Object.prototype' });
    return c.arg(0);
  },
});

const MERGES: ModelTable = {
  lodash: { members: { merge: 'merge.deep1', mergeWith: 'merge.deep1', defaultsDeep: 'merge.deep1', set: 'merge.setPath', setWith: 'merge.setPath', zipObjectDeep: 'merge.zip', template: 'lodash.template', escape: 'sanitize.html', escapeRegExp: 'sanitize.regex', unescape: 'propagate.all', toNumber: 'prim', toInteger: 'prim' } },
  'merge.deep1': mergeSink(1),
  'merge.setPath': {
    call: (c) => {
      c.sink('prototype-pollution', c.arg(1), c.argNodes[1], { confidence: 'medium', note: 'a path like "__proto__.polluted" writes to Object.prototype' });
      return c.arg(0);
    },
  },
  'merge.zip': sinkFn('prototype-pollution', [0], { confidence: 'medium' }),
  'lodash.merge': mergeSink(1),
  'lodash.mergewith': mergeSink(1),
  'lodash.defaultsdeep': mergeSink(1),
  'lodash.set': { call: (c) => (MERGES['merge.setPath']!.call!(c), c.arg(0)) },
  'deep-extend': mergeSink(1),
  'merge-deep': mergeSink(1),
  'mixin-deep': mergeSink(1),
  'defaults-deep': mergeSink(1),
  'dot-prop': { members: { set: 'merge.setPath' } },
  'set-value': { call: (c) => (MERGES['merge.setPath']!.call!(c), c.arg(0)) },
  'object-path': { members: { set: 'merge.setPath' } },
  jquery: { members: { extend: 'jquery.extend' }, call: (c) => (c.sink('xss', c.arg(0), c.argNodes[0], { label: '$()', accept: (t) => t.pre === '' || (t.pre !== undefined && /</.test(t.pre)), note: 'jQuery parses HTML strings' }), c.api('jquery.obj')) },
  'jquery.extend': { call: (c) => (/^true$/.test(c.argNodes[0]?.getText() ?? '') ? mergeSink(2).call!(c) : c.arg(0)) },
  'jquery.obj': { members: { html: 'dom.htmlMethod', append: 'dom.htmlMethod', prepend: 'dom.htmlMethod', after: 'dom.htmlMethod', before: 'dom.htmlMethod', replaceWith: 'dom.htmlMethod', wrap: 'dom.htmlMethod' } },
  'dom.htmlMethod': sinkFn('xss', [0], { note: 'the string is parsed as HTML' }),
};

// ------------------------------------------------------------------ sanitisers

const HTML = mask(['xss']);

const SANITIZERS: ModelTable = {
  'sanitize.html': sanitizerFn(HTML),
  'sanitize.regex': sanitizerFn(mask(['regex-injection'])),
  'propagate.all': propagatorFn(),
  prim: { call: () => ({ prim: true }) },
  'escape-html': sanitizerFn(HTML),
  'lodash.escape': sanitizerFn(HTML),
  'escape-string-regexp': sanitizerFn(mask(['regex-injection'])),
  'lodash.escaperegexp': sanitizerFn(mask(['regex-injection'])),
  he: { members: { encode: 'sanitize.html', escape: 'sanitize.html', decode: 'propagate.all' } },
  entities: { members: { encode: 'sanitize.html', encodeHTML: 'sanitize.html', escape: 'sanitize.html', encodeXML: 'sanitize.html', decode: 'propagate.all' } },
  'html-entities': { members: { encode: 'sanitize.html', escape: 'sanitize.html' } },
  xss: { call: (c) => c.clean(c.propagate(c.arg(0)), HTML), members: { filterXSS: 'sanitize.html' } },
  'sanitize-html': sanitizerFn(HTML),
  dompurify: { members: { sanitize: 'sanitize.dompurify' }, call: (c) => c.api('dompurify') },
  'isomorphic-dompurify': { members: { sanitize: 'sanitize.dompurify' } },
  'sanitize.dompurify': { call: (c) => c.clean(c.propagate(c.arg(0)), HTML) },
  'global.DOMPurify': { members: { sanitize: 'sanitize.dompurify' } },
  validator: {
    members: {
      escape: 'sanitize.html',
      blacklist: 'propagate.all',
      whitelist: 'validator.whitelist',
      toInt: 'prim',
      toFloat: 'prim',
      toBoolean: 'prim',
      toDate: 'prim',
      stripLow: 'validator.stripLow',
      trim: 'propagate.all',
      normalizeEmail: 'propagate.all',
      unescape: 'propagate.all',
    },
  },
  'validator.whitelist': { call: (c) => (/^[\w\s-]*$/.test((c.str(1) ?? '').replace(/a-z|A-Z|0-9|\\w|\\d/g, '')) ? c.clean(c.propagate(c.arg(0)), ALL_KINDS & ~mask(['log-injection'])) : c.propagate(c.arg(0))) },
  'validator.stripLow': sanitizerFn(mask(['log-injection'])),
  sqlstring: { members: { escape: 'sql.escape', escapeId: 'sql.escape', format: 'mysql.format' } },
  'pg-format': { call: (c) => formatSql(c), members: { literal: 'sql.escape', ident: 'sql.escape', string: 'sql.escape' } },
  'mongo-sanitize.clean': sanitizerFn(mask(['nosql-injection'])),
  'escape-goat': { members: { htmlEscape: 'sanitize.html' } },
  'serialize-javascript': sanitizerFn(HTML),
  util: { members: { format: 'util.format', inspect: 'util.inspect', promisify: 'util.promisify' } },
  'util.format': propagatorFn('all'),
  'util.inspect': sanitizerFn(mask(['log-injection'])),
  'util.promisify': { call: (c) => c.arg(0) },
  querystring: { members: { parse: 'qs.parse', escape: 'sanitize.uri', stringify: 'propagate.all' } },
  qs: { members: { parse: 'qs.parse', stringify: 'propagate.all' } },
  'qs.parse': { call: (c) => mapObj(c.propagate(c.arg(0))) },
  'sanitize.uri': sanitizerFn(mask(['xss', 'path-traversal', 'ssrf', 'open-redirect', 'log-injection'])),
  url: { members: { parse: 'url.parse', URL: 'global.URL', URLSearchParams: 'global.URLSearchParams', format: 'propagate.all', resolve: 'propagate.all' } },
  'url.parse': { call: (c) => mapObj(c.propagate(c.arg(0))) },
  'url.URL': { members: { searchParams: 'url.URLSearchParams', href: 'url.part', pathname: 'url.part', host: 'url.part', hostname: 'url.part', search: 'url.part', hash: 'url.part', origin: 'url.part', toString: 'url.part' } },
  'url.URLSearchParams': { members: { get: 'url.get', getAll: 'url.get', entries: 'url.get', toString: 'url.get' } },
  'url.part': {},
  'url.get': {},
};

/** pg-format: %L and %I escape, %s does not. */
function formatSql(c: CallCtx): Value {
  const fmt = c.str(0) ?? '';
  const specs = [...fmt.matchAll(/%([%ILsQ])/g)].map((m) => m[1]).filter((s) => s !== '%');
  let out: Value = c.propagate(c.arg(0));
  specs.forEach((s, i) => {
    const v = c.propagate(c.arg(i + 1));
    out = join(out, s === 's' ? v : c.clean(v, mask(['sql-injection'])));
  });
  return out;
}

/** A string parsed into an object of strings (`url.parse(u, true)`, `qs.parse`): every field, at any depth, carries its taint. */
function mapObj(v: Value): Value {
  return v.t?.length ? { t: v.t.map((t) => ({ ...t, obj: true, o: t.o.kind === 'source' ? { ...t.o, deepObj: true } : t.o })) } : EMPTY;
}

export const SINK_MODELS: ModelTable = { ...PROCESS, ...CODE, ...TEMPLATES, ...FS, ...HTTP_CLIENTS, ...XML, ...LOGS, ...MERGES, ...SANITIZERS };
