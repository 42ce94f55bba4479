/**
 * Vue: the router's query and params are URL parts (client sources); `v-html` and `:innerHTML`
 * bindings of a component's template are XSS sinks. The template expressions reach the engine as
 * calls in the component's virtual script (see ../vue.ts); this module runs them once the module
 * is loaded: directly for `<script setup>` (the expressions read its top-level bindings), and for
 * an options-API component after building its instance (data(), setup(), methods, lifecycle
 * hooks, watch handlers, computed getters, `this.$route`) and copying the members the template
 * names.
 */
import ts from 'typescript';
import type { EngineApi } from '../engine.js';
import { EMPTY, join, newObj, writeProp, type Value } from '../values.js';
import { VUE_HTML_CALL, VUE_INSTANCE_CALL, VUE_PROP_CALL, VUE_RENDER_FN, VUE_SETTER_FN } from '../vue.js';
import type { CallCtx, ModelTable } from './types.js';

/** A ref (`ref(x)`, `computed(...)`): an object whose `.value` is the value. */
function refOf(v: Value): Value {
  return { objs: [newObj(new Map([['value', v]]))] };
}

/** Templates unwrap refs: the bound value is the value itself or its `.value`. */
function unwrapped(c: CallCtx, v: Value): Value {
  return join(v, c.prop(v, 'value'));
}

function htmlSink(label: string) {
  return (c: CallCtx): Value => {
    c.sink('xss', unwrapped(c, c.arg(0)), c.argNodes[0], { label, note: 'rendered as raw HTML' });
    return EMPTY;
  };
}

/** `computed(() => x)` or `computed({ get, set })`: a ref holding what the getter returns. */
function computedRef(c: CallCtx): Value {
  const a = c.arg(0);
  const getter = a.fns?.length ? a : c.prop(a, 'get');
  return refOf(c.call(getter, []));
}

const ROUTE = { query: 'vue.routeQuery', params: 'vue.routeParams', hash: 'vue.routeHash', fullPath: 'vue.routePath', path: 'vue.routePath', href: 'vue.routePath' };

/** The options-API instance of each component file (the setter of its virtual script reads it). */
const instances = new WeakMap<ts.SourceFile, Value>();

export const VUE_MODELS: ModelTable = {
  [`global.${VUE_INSTANCE_CALL}`]: { call: (c) => instances.get(c.node.getSourceFile()) ?? EMPTY },
  [`global.${VUE_HTML_CALL}`]: { call: htmlSink('v-html') },
  [`global.${VUE_PROP_CALL}`]: { call: htmlSink('innerHTML binding') },
  vue: {
    members: {
      defineComponent: 'vue.identity',
      extend: 'vue.identity',
      reactive: 'vue.identity',
      shallowReactive: 'vue.identity',
      readonly: 'vue.identity',
      markRaw: 'vue.identity',
      ref: 'vue.ref',
      shallowRef: 'vue.ref',
      customRef: 'dom.noop',
      computed: 'vue.computed',
      unref: 'vue.unref',
      toValue: 'vue.unref',
      toRaw: 'vue.identity',
      onBeforeMount: 'vue.callback',
      onMounted: 'vue.callback',
      onActivated: 'vue.callback',
      onUpdated: 'vue.callback',
      watchEffect: 'vue.callback',
      watch: 'vue.watch',
      nextTick: 'vue.callback',
      default: 'vue',
    },
  },
  'vue.identity': { call: (c) => c.arg(0) },
  'vue.ref': { call: (c) => refOf(c.arg(0)) },
  'vue.computed': { call: computedRef },
  'vue.unref': { call: (c) => unwrapped(c, c.arg(0)) },
  'vue.callback': { call: (c) => (c.call(c.arg(0), []), EMPTY) },
  // watch(source, cb): the callback gets the source's value (a ref's value, a getter's result).
  'vue.watch': {
    call: (c) => {
      const src = c.arg(0);
      const value = src.fns?.length ? c.call(src, []) : unwrapped(c, src);
      // As an entry (after the module ran, as Vue calls it later): a callback summarised here would
      // lose what it writes from its parameter into the component's refs.
      c.entry(c.arg(1), [value, EMPTY]);
      return EMPTY;
    },
  },
  'vue-router': { members: { useRoute: 'vue.useRoute', useRouter: 'vue.useRouter' } },
  'vue.useRoute': { call: (c) => c.api('vue.route') },
  'vue.useRouter': { call: (c) => c.api('vue.router') },
  // Nuxt imports useRoute automatically: an unbound `useRoute()` is the router's.
  'global.useRoute': { call: (c) => c.api('vue.route') },
  'global.useRouter': { call: (c) => c.api('vue.router') },
  'vue.router': { members: { currentRoute: 'vue.currentRoute', push: 'dom.noop', replace: 'dom.noop' } },
  'vue.currentRoute': { members: { value: 'vue.route' } },
  'vue.route': { members: ROUTE },
  'vue.routeQuery': { source: { label: 'route query', category: 'client', obj: true, deepObj: false } },
  'vue.routeParams': { source: { label: 'route params', category: 'client', obj: true, deepObj: false } },
  'vue.routeHash': { source: { label: 'route hash', category: 'client' } },
  'vue.routePath': { source: { label: 'route path', category: 'client' } },
};

const LIFECYCLE = ['beforeCreate', 'created', 'beforeMount', 'mounted', 'activated'];

function fnDecl(sf: ts.SourceFile, name: string): ts.FunctionDeclaration | undefined {
  return sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
}

/** Every (key, value) of an object value's known properties. */
function entries(v: Value): Array<[string, Value]> {
  return (v.objs ?? []).flatMap((o) => [...o.props.entries()]);
}

const ROUTE_SOURCES: Record<string, string> = { query: 'route query', params: 'route params', hash: 'route hash', path: 'route path', fullPath: 'route path' };

/** A watched `$route.query...` path: the source itself, placed at the watch key. */
function routeWatch(sf: ts.SourceFile, key: string, e: EngineApi): Value | undefined {
  const part = /^\$route\.(\w+)/.exec(key)?.[1];
  const label = part ? ROUTE_SOURCES[part] : undefined;
  if (!label) return undefined;
  let at: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (at) return;
    if ((ts.isPropertyAssignment(n) || ts.isMethodDeclaration(n)) && ts.isStringLiteral(n.name) && n.name.text === key) at = n.name;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return at ? e.source(label, at, { category: 'client' }) : undefined;
}

/** Runs a component's template bindings once its module is loaded. */
export function onVueModule(sf: ts.SourceFile, exports: Value, e: EngineApi): void {
  const render = fnDecl(sf, VUE_RENDER_FN);
  if (!render) return;
  const setter = fnDecl(sf, VUE_SETTER_FN);
  if (setter) {
    // Template globals, then (options API) what data(), setup(), methods and computed define.
    const inst = e.obj({ $route: e.api('vue.route'), $router: e.api('vue.router') });
    const o = inst.objs![0]!;
    instances.set(sf, inst);
    const param = setter.parameters[0]?.name;
    if (param && ts.isIdentifier(param) && param.text === '$pw$options') {
      const comp = e.prop(exports, 'default');
      const copy = (ret: Value): void => {
        for (const [k, v] of entries(ret)) writeProp(o, k, v);
      };
      const data = e.prop(comp, 'data');
      if (data.fns?.length) e.entry(data, [inst], inst, copy);
      else copy(data);
      e.entry(e.prop(comp, 'setup'), [EMPTY, EMPTY], inst, copy);
      copy(e.prop(comp, 'methods'));
      for (const hook of LIFECYCLE) e.entry(e.prop(comp, hook), [], inst);
      // watch: { 'a.b'(value) {...} } or { a: { handler(value) {...} } }: called with the watched path's value.
      for (const [k, v] of entries(e.prop(comp, 'watch'))) {
        const handler = v.fns?.length ? v : e.prop(v, 'handler');
        const value = routeWatch(sf, k, e) ?? k.split('.').reduce((acc, key) => e.prop(acc, key), inst);
        e.entry(handler, [value, EMPTY], inst);
      }
      for (const [k, v] of entries(e.prop(comp, 'computed'))) {
        const getter = v.fns?.length ? v : e.prop(v, 'get');
        e.entry(getter, [], inst, (ret) => writeProp(o, k, ret));
      }
    }
    e.entry(e.fnOf(setter, sf), []);
  }
  e.entry(e.fnOf(render, sf), []);
}
