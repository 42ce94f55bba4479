import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config/types.js';
import { runSast } from './run.js';
import { analyse, flowOf, js, summary } from './testing.js';
import { declaredNames, freeNames, htmlBindings, sfcBlocks, vueSource } from './vue.js';

const SETUP_VULN = js`
  <script setup lang="ts">
  import { computed, onMounted, reactive, ref } from 'vue';
  import { useRoute } from 'vue-router';

  const route = useRoute();
  const banner = ref('');
  banner.value = route.query.banner as string;
  const motto = computed(() => '<em>' + window.name + '</em>');
  const state = reactive({ page: document.URL });
  const fragment = ref('');
  onMounted(() => {
    fragment.value = decodeURIComponent(location.hash.slice(1));
  });
  </script>

  <template>
    <header>
      <p>{{ banner }}</p>
      <div class="banner" v-html="banner"></div>
      <p v-html="motto" />
    </header>
    <template v-if="state.page">
      <div
        data-x="a > b"
        v-html="'<b>' + state.page + '</b>'"
      ></div>
    </template>
    <aside :innerHTML="fragment"></aside>
  </template>
`;

const SETUP_SAFE = js`
  <template>
    <main>
      <p>{{ banner }}</p>
      <p v-text="banner"></p>
      <div v-html="clean"></div>
      <div v-html="'<hr>'"></div>
      <div v-html="intro"></div>
      <div v-html="count"></div>
      <!-- <div v-html="banner"></div> -->
    </main>
  </template>

  <script setup>
  import DOMPurify from 'dompurify';
  import { computed, ref } from 'vue';
  import { useRoute } from 'vue-router';

  const route = useRoute();
  const banner = ref(route.query.banner);
  const clean = computed(() => DOMPurify.sanitize(route.query.banner));
  const intro = '<p>Welcome</p>';
  const count = parseInt(route.params.n, 10);
  </script>
`;

const OPTIONS_VULN = js`
  <template>
    <article>
      <h1 v-html="heading"></h1>
      <section v-html="preview"></section>
      <div v-html="fromParent"></div>
      <footer v-html="note"></footer>
      <p v-html="shared"></p>
    </article>
  </template>

  <script>
  import { defineComponent, ref } from 'vue';

  export default defineComponent({
    data() {
      return { heading: this.$route.query.title, note: '', fromParent: 'static' };
    },
    setup() {
      const shared = ref(location.search);
      return { shared };
    },
    computed: {
      preview() {
        return '<div>' + this.$route.params.slug + '</div>';
      },
    },
    mounted() {
      window.addEventListener('message', (event) => {
        this.note = event.data.text;
      });
    },
  });
  </script>
`;

const OPTIONS_SAFE = js`
  <template>
    <article>
      <h1 v-text="heading"></h1>
      <h2>{{ heading }}</h2>
      <section v-html="preview"></section>
      <div v-html="intro"></div>
    </article>
  </template>

  <script lang="ts">
  import DOMPurify from 'dompurify';
  export default {
    data() {
      return { heading: this.$route.query.title as string, intro: '<p>Hello</p>' };
    },
    computed: {
      preview(): string {
        return DOMPurify.sanitize(this.$route.params.slug);
      },
    },
  };
  </script>
`;

describe('Vue single-file components: v-html as an XSS sink', () => {
  it('<script setup>: refs, computed, reactive and onMounted state from client sources reach v-html and :innerHTML', async () => {
    const findings = await analyse({ 'src/components/Banner.vue': SETUP_VULN });
    expect(summary(findings)).toEqual([
      'src/components/Banner.vue:19:33 xss high: route query (URL- or message-controlled data, line 7) reaches HTML output (v-html): rendered as raw HTML',
      'src/components/Banner.vue:20:16 xss high: window.name (URL- or message-controlled data, line 8) reaches HTML output (v-html): rendered as raw HTML',
      'src/components/Banner.vue:25:15 xss high: document.URL (URL- or message-controlled data, line 9) reaches HTML output (v-html): rendered as raw HTML',
      'src/components/Banner.vue:28:22 xss high: location.hash (URL- or message-controlled data, line 12) reaches HTML output (innerHTML binding): rendered as raw HTML',
    ]);
    const at = findings.map((f) => `${f.location.startLine}:${f.location.startColumn}-${f.location.endLine}:${f.location.endColumn}`);
    expect(at).toEqual(['19:33-19:39', '20:16-20:21', '25:15-25:42', '28:22-28:30']);
    expect(flowOf(findings[0]!)).toEqual([
      'src/components/Banner.vue:7:16 source: route query',
      'src/components/Banner.vue:7:1 banner.value',
      'src/components/Banner.vue:19:33 sink: v-html',
    ]);
  });

  it('<script setup>: sanitised, constant, numeric, escaped ({{ }}, v-text) and commented-out bindings are not reported', async () => {
    expect(summary(await analyse({ 'src/Safe.vue': SETUP_SAFE }))).toEqual([]);
  });

  it('options API: data(), setup(), computed and lifecycle hooks build the instance the template reads', async () => {
    const findings = await analyse({ 'src/Post.vue': OPTIONS_VULN });
    expect(summary(findings)).toEqual([
      'src/Post.vue:3:17 xss high: route query (URL- or message-controlled data, line 16) reaches HTML output (v-html): rendered as raw HTML',
      'src/Post.vue:4:22 xss high: route params (URL- or message-controlled data, line 24) reaches HTML output (v-html): rendered as raw HTML',
      'src/Post.vue:6:21 xss high: postMessage data (URL- or message-controlled data, line 28) reaches HTML output (v-html): rendered as raw HTML',
      'src/Post.vue:7:16 xss high: location.search (URL- or message-controlled data, line 19) reaches HTML output (v-html): rendered as raw HTML',
    ]);
    // The listener registration is the source; the copy into the template's scope (after the file's end) is not a step.
    expect(flowOf(findings[2]!)).toEqual(['src/Post.vue:28:5 source: postMessage data', 'src/Post.vue:28:41 parameter event', 'src/Post.vue:29:7 this.note', 'src/Post.vue:6:21 sink: v-html']);
  });

  it('options API: a sanitising computed, constant data and escaped output are not reported', async () => {
    expect(summary(await analyse({ 'src/SafePost.vue': OPTIONS_SAFE }))).toEqual([]);
  });

  it('the template globals $route and $router, Nuxt\'s auto-imported useRoute and Vue 2 Vue.extend', async () => {
    const nuxt = js`
      <script setup>
      const route = useRoute();
      const router = useRouter();
      const tab = router.currentRoute.value.hash;
      </script>
      <template>
        <div v-html="route.params.slug"></div>
        <div v-html="tab"></div>
        <div v-html="$route.query.q"></div>
        <div v-html="title"></div>
      </template>
    `;
    const vue2 = js`
      <template><div class="x" v-html="msg"></div></template>
      <script>
      import Vue from 'vue';
      export default Vue.extend({ data() { return { msg: this.$route.fullPath }; } });
      </script>
    `;
    expect(summary(await analyse({ 'pages/[slug].vue': nuxt, 'src/Legacy.vue': vue2 }))).toEqual([
      'pages/[slug].vue:7:16 xss high: route params (URL- or message-controlled data, line 7) reaches HTML output (v-html): rendered as raw HTML',
      'pages/[slug].vue:8:16 xss high: route hash (URL- or message-controlled data, line 4) reaches HTML output (v-html): rendered as raw HTML',
      'pages/[slug].vue:9:16 xss high: route query (URL- or message-controlled data, line 9) reaches HTML output (v-html): rendered as raw HTML',
      'src/Legacy.vue:1:34 xss high: route path (URL- or message-controlled data, line 4) reaches HTML output (v-html): rendered as raw HTML',
    ]);
  });

  it('watch handlers: the options API watch: option (a path or $route) and watch() of the composition API', async () => {
    const options = js`
      <template>
        <div v-html="fromQuery"></div>
        <div v-html="fromRoute"></div>
        <div v-html="constant"></div>
      </template>
      <script>
      export default {
        data() { return { fromQuery: '', fromRoute: '', constant: '' }; },
        watch: {
          '$route.query.tab'(value) { this.fromQuery = value; },
          $route: { handler(to) { this.fromRoute = to.hash; }, immediate: true },
          fromQuery() { this.constant = '<hr>'; },
        },
      };
      </script>
    `;
    const setup = js`
      <script setup>
      import { ref, watch } from 'vue';
      import { useRoute } from 'vue-router';
      const route = useRoute();
      const note = ref('');
      watch(() => route.params.note, (value) => {
        document.querySelector('#note').innerHTML = value;
        note.value = value;
      });
      </script>
      <template><aside v-html="note" /></template>
    `;
    expect(summary(await analyse({ 'src/Watch.vue': options, 'src/WatchSetup.vue': setup }))).toEqual([
      'src/Watch.vue:2:16 xss high: route query (URL- or message-controlled data, line 10) reaches HTML output (v-html): rendered as raw HTML',
      'src/Watch.vue:3:16 xss high: route hash (URL- or message-controlled data, line 11) reaches HTML output (v-html): rendered as raw HTML',
      // The callback runs with the watched value, and what it writes from its parameter into a
      // captured ref (`note.value = value`) reaches the v-html of `note`.
      'src/WatchSetup.vue:7:3 xss high: route params (URL- or message-controlled data, line 6) reaches HTML output (innerHTML): assigned as HTML',
      'src/WatchSetup.vue:11:26 xss high: route params (URL- or message-controlled data, line 6) reaches HTML output (v-html): rendered as raw HTML',
    ]);
  });

  it('components do not share state: the same member name in another component is not tainted by this one', async () => {
    const other = js`
      <template><div v-html="heading"></div></template>
      <script>
      export default { data() { return { heading: '<h1>Hi</h1>' }; } };
      </script>
    `;
    const findings = await analyse({ 'src/Post.vue': OPTIONS_VULN, 'src/Other.vue': other });
    expect(findings.map((f) => f.location.file)).toEqual(['src/Post.vue', 'src/Post.vue', 'src/Post.vue', 'src/Post.vue']);
  });

  it('finds .vue files when it reads a tree from disk and reports their original text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-vue-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'Banner.vue'), SETUP_VULN);
      writeFileSync(join(dir, 'src', 'SafePost.vue'), OPTIONS_SAFE);
      const r = await runSast(DEFAULT_CONFIG, { path: dir });
      expect(r.findings.map((f) => `${f.location.file}:${f.location.startLine}:${f.location.startColumn}`)).toEqual(['src/Banner.vue:19:33', 'src/Banner.vue:20:16', 'src/Banner.vue:25:15', 'src/Banner.vue:28:22']);
      // The virtual scripts parse cleanly (a syntax error would be reported as a warning).
      expect(r.diagnostics).toEqual([]);
      expect(r.stats.files).toBe(2);
      expect(r.sourceOf('src/Banner.vue')).toBe(SETUP_VULN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the component scanner', () => {
  it('keeps every script character and line break at its offset, and blanks the rest', () => {
    const v = vueSource('A.vue', SETUP_VULN)!;
    expect(v.kind).toBe('ts');
    expect(v.original).toBe(SETUP_VULN);
    const head = v.text.slice(0, SETUP_VULN.length);
    expect(head.split('\n').length).toBe(SETUP_VULN.split('\n').length);
    const start = SETUP_VULN.indexOf('import');
    const end = SETUP_VULN.indexOf('</script>');
    expect(head.slice(start, end)).toBe(SETUP_VULN.slice(start, end));
    expect(head.slice(0, start).trim()).toBe('');
    // The binding's expression is where it was, wrapped in the sink call.
    const at = SETUP_VULN.indexOf('v-html="banner"');
    expect(head.slice(at, at + 15)).toBe('   $vh$(banner)');
    // Names the script does not declare are declared after the file's end (never part of a finding).
    expect(v.text.slice(SETUP_VULN.length)).toBe('');
  });

  it('finds top-level blocks, nested <template> elements and comments', () => {
    const text = '<!-- <script>no</script> -->\n<template>\n  <template v-if="a"><i/></template>\n  <b></b>\n</template>\n<script setup lang="tsx">x</script>\n<style>a{}</style>\n';
    expect(sfcBlocks(text).map((b) => `${b.name}${b.attrs}=${JSON.stringify(text.slice(b.start, b.end))}`)).toEqual([
      'template=' + JSON.stringify('\n  <template v-if="a"><i/></template>\n  <b></b>\n'),
      'script setup lang="tsx"="x"',
      'style="a{}"',
    ]);
  });

  it('reads v-html and innerHTML bindings only, with quoted, unquoted and multi-line values', () => {
    const t = `<p title="v-html='no'" v-html="a">{{ x < y ? '<b v-html="no">' : '' }}</p><q v-html=b></q><!-- <i v-html="c"> --><s v-text="d" :inner-html="e" .innerHTML="f" v-bind:innerHTML='g' :title="h"></s><u\n  v-html="\n  i\n"/><a v-html=j/>`;
    expect(htmlBindings(t, 0, t.length).map((b) => `${b.attr}=${t.slice(b.start, b.end).trim()}`)).toEqual(['v-html=a', 'v-html=b', ':inner-html=e', '.innerHTML=f', 'v-bind:innerHTML=g', 'v-html=i', 'v-html=j']);
  });

  it('names a script declares at its top level (not those inside functions or the component object)', () => {
    const script = "import A, { b as c, d } from 'x';\nimport * as ns from 'y';\nimport type { T } from 'z';\nconst { e, f: g } = h;\nlet k = 1;\nfunction fn(p) { const inner = 1; }\nexport default { setup() { const shared = 1; return { shared }; } };\nclass K {}\nconst s = '{';\n";
    expect([...declaredNames(script)].sort()).toEqual(['A', 'K', 'T', 'c', 'd', 'e', 'fn', 'g', 'k', 'ns', 's']);
  });

  it('names of an expression: not members, keywords, string contents or Vue template globals', () => {
    expect(freeNames("a.b + c?.d + `x${e}y` + 'f' + Math.max(g, 1) + { h: i }.h + typeof j")).toEqual(['a', 'c', 'e', 'g', 'i', 'j']);
  });

  it('decodes entities in attribute values in place and declares unknown names after the end', () => {
    const text = '<script setup>\nconst q = location.search;\n</script>\n<template><div v-html="q + &quot;!&quot; + other"></div></template>\n';
    const v = vueSource('B.vue', text)!;
    const at = text.indexOf('q + &quot;');
    expect(v.text.slice(at, at + 27)).toBe('q + "     !"      + other);');
    expect(v.text.slice(text.length)).toBe('\nvar other = undefined;\nfunction $vs$($pw$setup) { const $pw$i = $vi$(); other = $pw$i.other; }\n');
  });

  it('a template with no room for the wrapper is left out with a note; components without script are skipped', async () => {
    const cramped = '<template><a v-html=h /></template><script setup>const h = location.hash</script>';
    const v = vueSource('C.vue', cramped)!;
    expect(v.note).toMatch(/no room/);
    expect(v.text).not.toContain('$vh$');
    expect(vueSource('D.vue', '<template><div v-html="x"></div></template>')).toBeUndefined();
    const r = await runSast(DEFAULT_CONFIG, { path: '/virtual', files: { 'C.vue': cramped }, literalSecrets: false });
    expect(r.findings).toEqual([]);
    expect(r.diagnostics.map((d) => `${d.level} ${d.file}: ${d.message}`)).toEqual(['note C.vue: the template has no room for the analysis wrapper (minified?): its v-html bindings are not analysed']);
  });
});

describe('the component scanner on generated components', () => {
  // Seeded, so a failure is reproducible: fragments of real SFC syntax in random order and nesting.
  let seed = 0x5eed;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 16) % n; // the low bits of this generator have short periods
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const ATTRS = ['class="a"', 'v-if="ok"', ':title="t + \'>\'"', 'v-html="html"', "v-html='a ? b : \"<i>\"'", 'v-html="x.y[0]"', ':innerHTML="s"', 'v-text="html"', '@click="go(1)"', 'v-html=bare', 'data-x="{{ }}"', 'v-html="\n  multi\n  + line\n"'];
  const node = (depth: number): string => {
    const tag = pick(['div', 'p', 'span', 'template', 'my-comp', 'br']);
    const attrs = Array.from({ length: rand(4) }, () => pick(ATTRS)).join(pick([' ', '\n    ', '  ']));
    const kids = depth > 0 ? Array.from({ length: rand(3) }, () => pick([node(depth - 1), '{{ a < b ? c : d }}', 'text > more', '<!-- <p v-html="no"> -->', '\n'])).join('') : '';
    return rand(5) === 0 ? `<${tag} ${attrs}/>` : `<${tag} ${attrs}>${kids}</${tag}>`;
  };
  const SCRIPTS = ["<script setup lang=\"ts\">\nconst html = location.hash as string;\nconst s = '</div>';\n</script>", '<script>\nexport default { data() { return { html: window.name }; } };\n</script>', "<script setup>\nimport { ref } from 'vue';\nconst html = ref(`<b>${document.URL}</b>`);\n</script>"];

  it('keeps length, line breaks and script text, and the virtual script parses without syntax errors', () => {
    let wrapped = 0;
    for (let i = 0; i < 300; i++) {
      const template = `<template>${pick(['', '\n', '\n  '])}${node(3)}\n</template>`;
      const script = pick(SCRIPTS);
      const text = rand(2) ? `${template}\n\n${script}\n<style>a { color: red }</style>\n` : `${script}\n${template}\n`;
      const v = vueSource('G.vue', text)!;
      const head = v.text.slice(0, text.length);
      const breaks = (s: string): number[] => [...s].flatMap((c, k) => (c === '\n' ? [k] : []));
      expect(breaks(head), text).toEqual(breaks(text));
      const body = script.slice(script.indexOf('>') + 1, script.lastIndexOf('<'));
      expect(head.includes(body), text).toBe(true);
      const sf = ts.createSourceFile('G.vue', v.text, ts.ScriptTarget.ESNext, true, v.kind === 'ts' ? ts.ScriptKind.TS : ts.ScriptKind.JSX);
      const errors = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
      expect(errors, `${text}\n---\n${v.text}`).toEqual([]);
      wrapped += (v.text.match(/\$v[hp]\$\(/g) ?? []).length;
    }
    // The generator does produce bindings (the property is not vacuous).
    expect(wrapped).toBeGreaterThan(200);
  });
});
