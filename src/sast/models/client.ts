/**
 * Browser code: the URL, the window name and cross-window messages are attacker-controlled
 * (sources); HTML insertion, document.write, script URLs and navigation are sinks.
 */
import { EMPTY, type Value } from '../values.js';
import { redirectControlled } from './web.js';
import type { ApiModel, CallCtx, ModelTable } from './types.js';

const client = (label: string): ApiModel => ({ source: { label, category: 'client' } });

const LOCATION_PARTS = ['hash', 'search', 'href', 'pathname'];

function navigate(c: CallCtx): Value {
  c.sink('open-redirect', c.arg(0), c.argNodes[0], { label: c.callee, accept: redirectControlled, note: 'navigates to an attacker-chosen URL' });
  c.sink('xss', c.arg(0), c.argNodes[0], { label: c.callee, accept: (t) => t.pre === '', confidence: 'medium', note: 'a javascript: URL runs script' });
  return EMPTY;
}

const navigateAssign: ApiModel = {
  assign: (c) => {
    c.sink('open-redirect', c.value, c.node, { label: c.target.replace(/^global\./, ''), accept: redirectControlled, note: 'navigates to an attacker-chosen URL' });
    c.sink('xss', c.value, c.node, { label: c.target.replace(/^global\./, ''), accept: (t) => t.pre === '', confidence: 'medium', note: 'a javascript: URL runs script' });
  },
};

const htmlAssign: ApiModel = { assign: (c) => c.sink('xss', c.value, c.node, { label: c.target.replace(/^.*\./, ''), note: 'assigned as HTML' }) };

function messageListener(c: CallCtx): Value {
  if (c.str(0) === 'message') {
    const event = { ...c.source('postMessage data', { category: 'client', obj: true, deepObj: true }), api: ['dom.messageEvent'] };
    c.call(c.arg(1), [event]);
  } else if (c.args[1]?.fns?.length) c.call(c.arg(1), [EMPTY]);
  return EMPTY;
}

export const CLIENT_MODELS: ModelTable = {
  'global.location': {
    members: { ...Object.fromEntries(LOCATION_PARTS.map((p) => [p, `dom.location.${p}`])), assign: 'dom.navigate', replace: 'dom.navigate' },
    source: { label: 'location', category: 'client' },
    assign: navigateAssign.assign,
  },
  ...Object.fromEntries(LOCATION_PARTS.map((p) => [`dom.location.${p}`, { ...client(`location.${p}`), assign: navigateAssign.assign }])),
  'dom.navigate': { call: navigate },
  'global.window': {
    members: { location: 'global.location', name: 'dom.windowName', open: 'dom.navigate', addEventListener: 'dom.addListener', document: 'global.document', postMessage: 'dom.noop', onmessage: 'dom.onmessage', eval: 'global.eval', setTimeout: 'global.setTimeout', fetch: 'global.fetch' },
  },
  'dom.windowName': client('window.name'),
  'dom.addListener': { call: messageListener },
  'global.addEventListener': { call: messageListener },
  'dom.onmessage': {},
  'dom.noop': {},
  'global.document': {
    members: {
      URL: 'dom.documentUrl',
      documentURI: 'dom.documentUrl',
      baseURI: 'dom.documentUrl',
      referrer: 'dom.referrer',
      cookie: 'dom.cookie',
      location: 'global.location',
      write: 'dom.write',
      writeln: 'dom.write',
      getElementById: 'dom.query',
      querySelector: 'dom.query',
      querySelectorAll: 'dom.queryAll',
      getElementsByClassName: 'dom.queryAll',
      getElementsByTagName: 'dom.queryAll',
      createElement: 'dom.query',
      body: 'dom.element',
      documentElement: 'dom.element',
      head: 'dom.element',
    },
  },
  'dom.documentUrl': client('document.URL'),
  'dom.referrer': client('document.referrer'),
  'dom.cookie': {},
  'dom.write': { call: (c) => (c.args.forEach((v, i) => c.sink('xss', v, c.argNodes[i], { label: 'document.write', note: 'the string is parsed as HTML' })), EMPTY) },
  'dom.query': { call: (c) => c.api('dom.element') },
  'dom.queryAll': { call: (c) => c.api('dom.elements') },
  'dom.elements': { members: { '0': 'dom.element', '*': 'dom.element', item: 'dom.query', forEach: 'dom.noop' } },
  'dom.element': {
    members: { innerHTML: 'dom.innerHTML', outerHTML: 'dom.innerHTML', srcdoc: 'dom.innerHTML', insertAdjacentHTML: 'dom.insertAdjacent', setAttribute: 'dom.setAttribute', href: 'dom.href', src: 'dom.href', action: 'dom.href', append: 'dom.noop', appendChild: 'dom.noop', querySelector: 'dom.query', addEventListener: 'dom.addListener' },
  },
  'dom.innerHTML': htmlAssign,
  'dom.href': { assign: navigateAssign.assign },
  'dom.insertAdjacent': { call: (c) => (c.sink('xss', c.arg(1), c.argNodes[1], { label: 'insertAdjacentHTML', note: 'the string is parsed as HTML' }), EMPTY) },
  'dom.setAttribute': {
    call: (c) => {
      const name = (c.str(0) ?? '').toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc') c.sink('xss', c.arg(1), c.argNodes[1], { label: `setAttribute('${name}')` });
      if (['href', 'src', 'action', 'formaction', 'data'].includes(name)) c.sink('xss', c.arg(1), c.argNodes[1], { label: `setAttribute('${name}')`, accept: (t) => t.pre === '', confidence: 'medium', note: 'a javascript: URL runs script' });
      return EMPTY;
    },
  },
  'dom.messageEvent': { members: { data: 'dom.messageData', origin: 'dom.noop', source: 'dom.noop' } },
  'dom.messageData': client('postMessage data'),
  // Angular: bypassSecurityTrust* turns off the framework's sanitisation for that value.
  // `inject(DomSanitizer)` in a field initialiser or constructor: the same instance a constructor parameter of that type gets.
  '@angular/core': { members: { inject: 'angular.inject' } },
  'angular.inject': { call: (c) => c.instanceOf(0) },
  'angular.sanitizer': { members: Object.fromEntries(['Html', 'Script', 'Style', 'Url', 'ResourceUrl'].map((k) => [`bypassSecurityTrust${k}`, 'angular.bypass'])) },
  'angular.bypass': { call: (c) => (c.sink('xss', c.arg(0), c.argNodes[0], { note: 'Angular will not sanitise this value' }), EMPTY) },
  // Angular route parameters and query parameters are URL parts: client sources.
  'angular.route': { members: { snapshot: 'angular.snapshot', params: 'angular.params', queryParams: 'angular.params', paramMap: 'angular.paramMap', queryParamMap: 'angular.paramMap', fragment: 'angular.params' } },
  'angular.snapshot': { members: { params: 'angular.params', queryParams: 'angular.params', paramMap: 'angular.paramMap', queryParamMap: 'angular.paramMap', fragment: 'angular.params' } },
  'angular.params': { source: { label: 'route parameters', category: 'client', obj: true, deepObj: false } },
  'angular.paramMap': { members: { get: 'angular.paramGet' } },
  'angular.paramGet': { call: (c) => c.source('route parameter', { category: 'client' }) },
};
