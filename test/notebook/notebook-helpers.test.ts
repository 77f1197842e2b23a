import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notebookParams } from '../../lib/experiments/profile-env';
import { tableMarkup, toDataFrame } from '../../lib/notebook/table';
import { sendDisplayData, inNotebook } from '../../lib/notebook/display';
import { figureBundle } from '../../lib/notebook/figure';
import { resetFigureHtmlSession } from '../../lib/notebook/figure-html';
import { markdownToHtml } from '../../lib/notebook/markdown';
import { listNotebooks } from '../../lib/notebook/execute';
import { closeSharedRenderer, chromiumAvailable } from '../../lib/figures/render';
import { barChart } from '../../lib/figures/bar';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('notebookParams: defaults, profile and JSON overrides; invalid JSON and non-objects rejected', () => {
  assert.deepEqual(notebookParams({}), { profile: 'small', overrides: {} });
  assert.deepEqual(notebookParams({ GEM_PROFILE: 'smoke', GEM_PARAMS: '{"seeds":2,"K":[1,5]}' }), { profile: 'smoke', overrides: { seeds: 2, K: [1, 5] } });
  assert.throws(() => notebookParams({ GEM_PARAMS: '{seeds:2}' }), /GEM_PARAMS = "\{seeds:2\}" is not valid JSON .*expected a JSON object/);
  assert.throws(() => notebookParams({ GEM_PARAMS: '[1,2]' }), /GEM_PARAMS = "\[1,2\]"; expected a JSON object/);
  assert.throws(() => notebookParams({ GEM_PROFILE: 'a b' }), /GEM_PROFILE = "a b"/);
});

test('tables: rows become a danfo DataFrame; HTML escapes and rounds; long tables truncated', () => {
  const df = toDataFrame([{ K: 1, acc: 0.123456, rule: '<maj>' }, { K: 5, acc: 0.5, rule: 'mean' }]);
  assert.deepEqual(df.columns, ['K', 'acc', 'rule']);
  assert.deepEqual(df.shape, [2, 3]);
  const { html, markdown, text } = tableMarkup(df, { caption: 'data: emulated', digits: 3 });
  assert.match(html, /<td[^>]*>0\.123<\/td>/);
  assert.equal(markdown, '*data: emulated*\n\n| K | acc | rule |\n| ---: | ---: | --- |\n| 1 | 0.123 | <maj> |\n| 5 | 0.5 | mean |');
  assert.match(html, /&lt;maj&gt;/);
  assert.match(text, /^data: emulated\nK\s+acc\s+rule/);
  const long = tableMarkup({ columns: ['i'], values: Array.from({ length: 60 }, (_, i) => [i]), shape: [60, 1] }, { maxRows: 10 });
  assert.equal((long.html.match(/<tr>/g) ?? []).length, 10);
  assert.match(long.text, /50 more rows \(60 in all\)/);
  assert.throws(() => toDataFrame([]), /non-empty array of plain objects/);
});

test('display outside a kernel: not in a notebook, prints text/plain, rejects empty bundles', () => {
  assert.equal(inNotebook(), false);
  const logged: unknown[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void logged.push(...a);
  try {
    assert.equal(sendDisplayData({ 'text/plain': 'hello', 'text/html': '<b>hello</b>' }), false);
  } finally {
    console.log = orig;
  }
  assert.deepEqual(logged, ['hello']);
  assert.throws(() => sendDisplayData({}), /non-empty mime bundle/);
});

test('markdownToHtml: pipe tables (escaped pipes), bold, code, headings; HTML escaped', () => {
  const html = markdownToHtml('## Claims\n\n| claim | holds |\n| --- | --- |\n| a \\| b `x<y>` | **no** |\n\nsee *this*');
  assert.match(html, /<h2>Claims<\/h2>/);
  assert.match(html, /<th[^>]*>claim<\/th><th[^>]*>holds<\/th>/);
  assert.match(html, /<td[^>]*>a \| b <code>x&lt;y&gt;<\/code><\/td><td[^>]*><strong>no<\/strong><\/td>/);
  assert.match(html, /<p>see <em>this<\/em><\/p>/);
  assert.doesNotMatch(html, /\| ---/);
  // Bold around a code span (the readings' first line); code keeps its asterisks literal.
  assert.equal(markdownToHtml('**Reading (profile `small`, seeds 1, 2).**'), '<p><strong>Reading (profile <code>small</code>, seeds 1, 2).</strong></p>');
  assert.equal(markdownToHtml('`a**b**c` and *x*'), '<p><code>a**b**c</code> and <em>x</em></p>');
});

test('committed notebooks: the language_info tslab reports, figure cells never folded into a scroll box, markdown outputs with rendered HTML', () => {
  const req = require('tslab/dist/jupyter') as { JupyterHandlerImpl: new (e: unknown, js: boolean) => { handleKernel(): { language_info: unknown } } };
  const reported = new req.JupyterHandlerImpl(null, false).handleKernel().language_info;
  for (const file of listNotebooks(path.join(__dirname, '..', '..', 'notebooks'))) {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert.deepEqual(nb.metadata.language_info, reported, `${path.basename(file)}: language_info`);
    nb.cells.forEach((c: { cell_type: string; metadata: { scrolled?: boolean }; outputs?: { data?: Record<string, unknown> }[] }, i: number) => {
      const figure = (c.outputs ?? []).some((o) => o.data && ('image/png' in o.data || 'application/vnd.plotly.v1+json' in o.data));
      if (figure) assert.equal(c.metadata.scrolled, false, `${path.basename(file)} cell ${i}: metadata.scrolled must be false`);
      // An untrusted notebook shows the HTML of a markdown output: no raw markdown may be left in it.
      for (const o of c.outputs ?? []) {
        if (o.data?.['text/markdown'] === undefined) continue;
        const html = [o.data['text/html'] ?? ''].flat().join('').replace(/<code>[^<]*<\/code>/g, '');
        assert.ok(html.length > 0, `${path.basename(file)} cell ${i}: a markdown output without text/html`);
        assert.doesNotMatch(html, /\*\*|^\s*\|\s*-{3}|`/m, `${path.basename(file)} cell ${i}: raw markdown in the HTML of a markdown output (npm run notebooks:update)`);
      }
    });
  }
});

test('figureBundle: plotly JSON, HTML drawing it (plotly.js once per session, PNG fallback) and a real PNG', { timeout: 120000 }, async (t) => {
  if (!chromiumAvailable()) {
    t.skip('chromium missing (/usr/bin/chromium): sudo apt-get install -y chromium');
    return;
  }
  try {
    const spec = barChart({ title: 'b', categories: ['x'], series: [{ name: 's', values: [1] }] });
    const { data, metadata } = await figureBundle(spec, { width: 400, height: 300, scale: 1 });
    const plotly = data['application/vnd.plotly.v1+json'] as { data: unknown[]; layout: { height: number } };
    assert.deepEqual(plotly.data, spec.data);
    assert.equal(plotly.layout.height, 300);
    const png = Buffer.from(data['image/png'] as string, 'base64');
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.readUInt32BE(16), 400); // IHDR width at scale 1
    assert.deepEqual(metadata['image/png'], { width: 400, height: 300 });
    const html = data['text/html'] as string;
    assert.match(html, /^<div id="gem-fig-[0-9a-f]{12}" class="gem-figure"[^>]*><img src="data:image\/png;base64,/, 'PNG fallback where scripts do not run');
    assert.ok(html.includes(data['image/png'] as string));
    assert.match(html, /DecompressionStream\("gzip"\)/, 'the first figure of a session carries plotly.js');
    assert.ok(html.length > 1_000_000 && html.length < 5_000_000, `plotly.js gzipped + base64, got ${html.length} chars`);
    assert.match(html, /w\.define=undefined/, 'require.js cannot capture the bundle');
    const again = await figureBundle(spec, { width: 400, height: 300, scale: 1 });
    const html2 = again.data['text/html'] as string;
    assert.ok(html2.length < 100_000, 'plotly.js is sent once per session');
    assert.match(html2, /^<div id="gem-fig-[0-9a-f]{12}-2"/, 'the same figure twice gets a second id');
    assert.match(html2, /Plotly\.newPlot\(el,fig\.data,fig\.layout,fig\.config\)/);
    resetFigureHtmlSession();
    const third = await figureBundle(spec, { width: 400, height: 300, scale: 1 });
    assert.equal(third.data['text/html'], html, 'same figure in a new session: same bytes');
  } finally {
    await closeSharedRenderer();
  }
});

test('listNotebooks: sorted .ipynb, private (_) and hidden names skipped unless asked', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gem-nb-list-'));
  try {
    for (const n of ['02-b.ipynb', '00-a.ipynb', '_probe.ipynb', '.x.ipynb', 'notes.md']) fs.writeFileSync(path.join(dir, n), '{}');
    assert.deepEqual(listNotebooks(dir).map((p) => path.basename(p)), ['00-a.ipynb', '02-b.ipynb']);
    assert.deepEqual(listNotebooks(dir, { includePrivate: true }).map((p) => path.basename(p)), ['00-a.ipynb', '02-b.ipynb', '_probe.ipynb']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
