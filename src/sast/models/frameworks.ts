/**
 * Frameworks known by convention rather than by calls: NestJS controllers (decorators), Next.js
 * (pages/api, getServerSideProps, app-router route handlers, pages and server actions), and a
 * fallback for request handlers nothing visibly registers (`function (req, res)` exported and wired
 * up elsewhere).
 */
import ts from 'typescript';
import type { EngineApi } from '../engine.js';
import { EMPTY, join, type ClassVal, type Value } from '../values.js';
import type { ModelTable } from './types.js';
import { onVueModule } from './vue.js';

const HTTP_DECORATORS = new Set(['Get', 'Post', 'Put', 'Delete', 'Patch', 'All', 'Options', 'Head', 'Search', 'Query', 'Mutation', 'Subscription', 'ResolveField', 'SubscribeMessage', 'MessagePattern', 'EventPattern', 'Sse']);
const SAFE_PIPES = /^(?:ParseIntPipe|ParseFloatPipe|ParseBoolPipe|ParseUUIDPipe|ParseEnumPipe|DefaultValuePipe)$/;

function decorators(n: ts.Node): readonly ts.Decorator[] {
  return (ts.canHaveDecorators(n) && ts.getDecorators(n)) || [];
}

function firstStringArg(d: ts.Decorator): string | undefined {
  const e = d.expression;
  if (!ts.isCallExpression(e)) return undefined;
  const a = e.arguments[0];
  return a && ts.isStringLiteralLike(a) ? a.text : undefined;
}

/** The value a NestJS handler parameter receives, from its decorator. */
function nestParam(p: ts.ParameterDeclaration, e: EngineApi): Value {
  for (const d of decorators(p)) {
    const name = e.decoratorName(d);
    const key = firstStringArg(d);
    const args = ts.isCallExpression(d.expression) ? d.expression.arguments : [];
    if (args.some((a) => SAFE_PIPES.test(a.getText().replace(/^new\s+/, '').replace(/\(.*$/s, '')))) return { prim: true };
    const container = (label: string, deepObj: boolean): Value => {
      const base = e.source(key ? `${label}.${key}` : label, d, { obj: key ? deepObj : true, whole: !key, deepObj });
      return base;
    };
    switch (name) {
      case 'Body':
      case 'Args':
      case 'MessageBody':
      case 'Payload':
        return container(name === 'Body' ? 'body' : name === 'Args' ? 'GraphQL arguments' : 'message body', true);
      case 'Query':
        return container('query', true);
      case 'Param':
        return container('params', false);
      case 'Headers':
        return container('headers', false);
      case 'Req':
      case 'Request':
        return e.api('express.req');
      case 'Res':
      case 'Response':
        return e.api('express.res');
      case 'UploadedFile':
      case 'UploadedFiles':
        return container('uploaded file', true);
      case 'ConnectedSocket':
        return e.api('io.socket');
      default:
        break;
    }
  }
  return e.typeOfAnnotation(p.type);
}

function onNestClass(decl: ts.ClassLikeDeclaration, cls: ClassVal, e: EngineApi): void {
  const classDecos = decorators(decl).map((d) => e.decoratorName(d));
  const isController = classDecos.some((n) => n === 'Controller' || n === 'Resolver' || n === 'WebSocketGateway');
  if (!isController) return;
  const instance = e.instance(cls);
  for (const m of decl.members) {
    if (!ts.isMethodDeclaration(m) || !m.body) continue;
    const decos = decorators(m);
    const names = decos.map((d) => e.decoratorName(d));
    if (!names.some((n) => n && HTTP_DECORATORS.has(n))) continue;
    const args = m.parameters.map((p) => nestParam(p, e));
    const fn = e.readMember(instance, m);
    // A string a controller returns is sent as text/html unless the route renders a view or sets
    // another content type.
    const html = !names.some((n) => n === 'Render' || n === 'Redirect') && !decos.some((d) => e.decoratorName(d) === 'Header' && /content-type/i.test(firstStringArg(d) ?? '') && !/html/i.test(d.getText()));
    const isHttp = names.some((n) => n && /^(?:Get|Post|Put|Delete|Patch|All|Options|Head|Search)$/.test(n));
    e.entry(fn, args, instance, html && isHttp ? (ret) => e.sink('xss', ret, m.name, { label: `return value of ${m.name.getText()}`, accept: (t) => !t.whole && !t.obj, note: 'NestJS sends a returned string as text/html' }) : undefined);
  }
}

// ------------------------------------------------------------------ Next.js

const NEXT_PAGES_API = /(?:^|\/)pages\/api\/.+\.[cm]?[jt]sx?$/;
const NEXT_PAGE = /(?:^|\/)pages\/(?!api\/).+\.[cm]?[jt]sx?$/;
const NEXT_ROUTE = /(?:^|\/)app\/(?:.+\/)?route\.[cm]?[jt]sx?$/;
const NEXT_APP_PAGE = /(?:^|\/)app\/(?:.+\/)?(?:page|layout)\.[cm]?[jt]sx?$/;
const NEXT_MIDDLEWARE = /(?:^|\/)(?:src\/)?middleware\.[cm]?[jt]s$/;
const ROUTE_VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

function exported(exports: Value, name: string, e: EngineApi): Value {
  return e.prop(exports, name);
}

function hasDirective(statements: readonly ts.Statement[], directive: string): boolean {
  for (const st of statements) {
    if (!ts.isExpressionStatement(st) || !ts.isStringLiteral(st.expression)) return false;
    if (st.expression.text === directive) return true;
  }
  return false;
}

function onNextModule(sf: ts.SourceFile, rel: string, exports: Value, e: EngineApi): void {
  const request = (): Value => e.api('next.request');
  if (NEXT_PAGES_API.test(rel)) e.entry(exported(exports, 'default', e), [e.api('express.req'), e.api('express.res')]);
  if (NEXT_PAGE.test(rel) || NEXT_APP_PAGE.test(rel)) {
    const gssp = join(exported(exports, 'getServerSideProps', e), exported(exports, 'getInitialProps', e));
    const page = exported(exports, 'default', e);
    if (gssp.fns?.length) {
      const ctx = e.obj({
        query: e.source('context.query', sf, { obj: true, whole: true, deepObj: true }),
        params: e.source('context.params', sf, { obj: true, whole: true, deepObj: false }),
        req: e.api('express.req'),
        res: e.api('express.res'),
        resolvedUrl: e.source('context.resolvedUrl', sf, { confidence: 'medium' }),
      });
      e.entry(gssp, [ctx], undefined, (ret) => {
        if (page.fns?.length) e.entry(page, [e.prop(ret, 'props')]);
      });
    }
    if (NEXT_APP_PAGE.test(rel) && page.fns?.length) {
      e.entry(page, [e.obj({ params: e.source('page params', sf, { obj: true, whole: true }), searchParams: e.source('searchParams', sf, { obj: true, whole: true, deepObj: true }) })]);
    }
  }
  if (NEXT_ROUTE.test(rel)) {
    for (const verb of ROUTE_VERBS) {
      const fn = exported(exports, verb, e);
      if (fn.fns?.length) e.entry(fn, [request(), e.obj({ params: e.source('route params', sf, { obj: true, whole: true }) })]);
    }
  }
  if (NEXT_MIDDLEWARE.test(rel)) e.entry(join(exported(exports, 'middleware', e), exported(exports, 'default', e)), [request()]);
  // Server actions: every exported function of a 'use server' file is callable with any arguments.
  if (hasDirective(sf.statements, 'use server')) {
    for (const st of sf.statements) {
      const fns: ts.SignatureDeclaration[] = [];
      if (ts.isFunctionDeclaration(st) && st.body && isExported(st)) fns.push(st);
      if (ts.isVariableStatement(st) && isExported(st)) for (const d of st.declarationList.declarations) if (d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) fns.push(d.initializer);
      for (const fn of fns) e.entry(e.fnOf(fn, sf), fn.parameters.map((p) => serverActionArg(p, e)));
    }
  }
}

function serverActionArg(p: ts.ParameterDeclaration, e: EngineApi): Value {
  return join(e.source(`server action argument ${p.name.getText()}`, p, { obj: true, deepObj: true }), e.api('next.formData'));
}

function isExported(n: ts.Node): boolean {
  return !!(ts.canHaveModifiers(n) && ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
}

/** Functions with a 'use server' directive inside a component file are server actions too. */
function onUncalled(decl: ts.SignatureDeclaration, e: EngineApi): Value[] | undefined {
  const body = (decl as ts.FunctionLikeDeclaration).body;
  if (body && ts.isBlock(body) && hasDirective(body.statements, 'use server')) return decl.parameters.map((p) => serverActionArg(p, e));
  const names = decl.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
  // (req, res[, next]) or (err, req, res, next): an Express-style handler wired up where we cannot see.
  const reqAt = names.findIndex((n) => /^(?:req|request)$/.test(n));
  const resAt = names.findIndex((n) => /^(?:res|response|reply)$/.test(n));
  if (reqAt >= 0 && resAt === reqAt + 1) {
    const typed = e.typeOfAnnotation(decl.parameters[reqAt]!.type);
    return decl.parameters.map((p, i) => (i === reqAt ? (typed.api?.length ? typed : e.api('heur.req')) : i === resAt ? e.api('express.res') : e.typeOfAnnotation(p.type)));
  }
  return undefined;
}

export const FRAMEWORK_MODELS: ModelTable = {
  'next.request': {
    members: { json: 'next.body', text: 'next.body', formData: 'next.formDataFn', blob: 'next.body', arrayBuffer: 'next.body', nextUrl: 'next.nextUrl', url: 'express.req.url', headers: 'next.headers', cookies: 'next.cookies', body: 'express.req.body', geo: 'dom.noop', ip: 'dom.noop' },
  },
  'next.body': { call: (c) => c.source('request body', { obj: true, whole: true, deepObj: true }) },
  'next.formDataFn': { call: (c) => c.api('next.formData') },
  'next.formData': { members: { get: 'next.formGet', getAll: 'next.formGet', entries: 'next.formGet', values: 'next.formGet' } },
  'next.formGet': { call: (c) => c.source('form data', { obj: false }) },
  'next.nextUrl': { members: { searchParams: 'next.searchParams', pathname: 'express.req.url', search: 'express.req.url', href: 'express.req.url' } },
  'next.searchParams': { members: { get: 'next.paramGet', getAll: 'next.paramGet', entries: 'next.paramGet', toString: 'next.paramGet' } },
  'next.paramGet': { call: (c) => c.source('searchParams.get()', {}) },
  'next.headers': { members: { get: 'next.headerGet' } },
  'next.headerGet': { call: (c) => c.source('request header', {}) },
  'next.cookies': { members: { get: 'next.cookieGet', getAll: 'next.cookieGet' } },
  'next.cookieGet': { call: (c) => c.source('cookie', { obj: true }) },
  'next/headers': { members: { cookies: 'next.cookiesFn', headers: 'next.headersFn' } },
  'next.cookiesFn': { call: (c) => c.api('next.cookies') },
  'next.headersFn': { call: (c) => c.api('next.headers') },
  'next/navigation': { members: { redirect: 'next.redirect', permanentRedirect: 'next.redirect', useSearchParams: 'next.useSearchParams' } },
  'next.useSearchParams': { call: (c) => c.api('next.clientSearchParams') },
  'next.clientSearchParams': { members: { get: 'next.clientParamGet', getAll: 'next.clientParamGet' } },
  'next.clientParamGet': { call: (c) => c.source('useSearchParams().get()', { category: 'client' }) },
  'next.redirect': { call: (c) => void c.sink('open-redirect', c.arg(0), c.argNodes[0], { accept: (t) => t.pre === '' || t.pre === '/' }) },
  'next/server': { members: { NextResponse: 'next.NextResponse' } },
  'next.NextResponse': { members: { redirect: 'next.redirectResponse', rewrite: 'next.rewrite', json: 'dom.noop', next: 'dom.noop' }, construct: (c) => responseBody(c) },
  'next.redirectResponse': { call: (c) => void c.sink('open-redirect', c.arg(0), c.argNodes[0], { accept: (t) => t.pre === '' || t.pre === '/' }) },
  'next.rewrite': { call: (c) => void c.sink('ssrf', c.arg(0), c.argNodes[0], { accept: (t) => t.pre === '' }) },
  'global.Response': { construct: (c) => responseBody(c), members: { redirect: 'next.redirectResponse', json: 'dom.noop' } },
  'heur.req': {
    members: { params: 'heur.params', query: 'heur.query', body: 'heur.body', headers: 'heur.headers', cookies: 'heur.cookies', get: 'heur.get', header: 'heur.get', url: 'heur.url', originalUrl: 'heur.url', path: 'heur.url', files: 'heur.body', file: 'heur.body' },
  },
  'heur.params': { source: { label: 'req.params', obj: true, whole: true, deepObj: false, confidence: 'medium' } },
  'heur.query': { source: { label: 'req.query', obj: true, whole: true, deepObj: true, confidence: 'medium' } },
  'heur.body': { source: { label: 'req.body', obj: true, whole: true, deepObj: true, confidence: 'medium' } },
  'heur.headers': { source: { label: 'req.headers', obj: true, whole: true, deepObj: false, confidence: 'medium' } },
  'heur.cookies': { source: { label: 'req.cookies', obj: true, whole: true, deepObj: true, confidence: 'medium' } },
  'heur.url': { source: { label: 'req.url', confidence: 'low' } },
  'heur.get': { call: (c) => c.source('req.get()', { confidence: 'medium' }) },
};

/** `new Response(body, { headers: { 'Content-Type': 'text/html' } })`: HTML only when said so. */
function responseBody(c: import('./types.js').CallCtx): Value {
  const headers = c.prop(c.arg(1), 'headers');
  const ct = join(join(c.prop(headers, 'Content-Type'), c.prop(headers, 'content-type')), c.prop(headers, 'Content-type'));
  if (ct.str !== undefined && /html/i.test(ct.str)) c.sink('xss', c.arg(0), c.argNodes[0], { label: 'new Response', accept: (t) => !t.whole, note: 'served as text/html' });
  return EMPTY;
}

export const FRAMEWORK_HOOKS = {
  onClass: onNestClass,
  onModule: (sf: ts.SourceFile, rel: string, exports: Value, e: EngineApi) => {
    onNextModule(sf, rel, exports, e);
    if (rel.endsWith('.vue')) onVueModule(sf, exports, e);
  },
  onUncalled,
};

